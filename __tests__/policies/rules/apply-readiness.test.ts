import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaLayerVersion } from "@cdktf/provider-aws/lib/lambda-layer-version";
import { DECLARED_SIZES_KEY } from "../../../policies/rules/lambda-package-limits";
import { found, synthViolations, type FixtureStack } from "../fixture";

function fn(stack: FixtureStack, id: string, options: { layers?: string[]; reserved?: number } = {}) {
  return new LambdaFunction(stack, id, {
    functionName: `prod-${id}`,
    role: "arn:aws:iam::123456789012:role/prod-fn",
    runtime: "nodejs22.x",
    handler: "index.handler",
    s3Bucket: "artifacts",
    s3Key: `${id}.zip`,
    layers: options.layers,
    reservedConcurrentExecutions: options.reserved,
  });
}

function layers(stack: FixtureStack, count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      new LambdaLayerVersion(stack, `layer-${i}`, {
        layerName: `prod-l${i}`,
        s3Bucket: "a",
        s3Key: `l${i}.zip`,
      }).arn,
  );
}

describe("lambda-package-limits", () => {
  test("six layers, an undeclared layer size and 260 MB declared all fail the synth", () => {
    const violations = synthViolations((stack) => {
      const six = fn(stack, "six", { layers: layers(stack, 6) });
      six.addOverride(`//.${DECLARED_SIZES_KEY}`, {
        code: 1,
        layers: Object.fromEntries([0, 1, 2, 3, 4, 5].map((i) => [`l${i}`, 1])),
      });
      fn(stack, "undeclared", { layers: ["arn:aws:lambda:us-west-2:123456789012:layer:x:1"] });
      const heavy = fn(stack, "heavy", { layers: ["arn:aws:lambda:us-west-2:123456789012:layer:deno:1"] });
      heavy.addOverride(`//.${DECLARED_SIZES_KEY}`, { code: 10, layers: { deno: 250 } });
    });
    expect(found(violations)).toEqual([
      ["lambda-package-limits", "fixture/six"],
      ["lambda-package-limits", "fixture/undeclared"],
      ["lambda-package-limits", "fixture/heavy"],
    ]);
    expect(violations[0].detail).toBe("6 layers (at most 5)");
    expect(violations[1].detail).toBe("declares the unzipped size of 0 of its 1 layers (declare each)");
    expect(violations[2].detail).toBe(
      "declared unzipped size 260 MB (code 10 + layers deno 250) exceeds 250 MB",
    );
  });

  test("five declared layers within 250 MB, and a function without layers, pass", () => {
    expect(
      synthViolations((stack) => {
        const five = fn(stack, "five", { layers: layers(stack, 5) });
        five.addOverride(`//.${DECLARED_SIZES_KEY}`, {
          code: 50,
          layers: Object.fromEntries([0, 1, 2, 3, 4].map((i) => [`l${i}`, 40])),
        });
        fn(stack, "plain");
      }),
    ).toEqual([]);
  });
});

describe("event-source-concurrency", () => {
  test("a mapping without a cap, or above the reserved concurrency, into a reserved function fails", () => {
    const violations = synthViolations((stack) => {
      const reserved = fn(stack, "reserved", { reserved: 2 });
      new LambdaEventSourceMapping(stack, "uncapped", {
        eventSourceArn: "arn:aws:sqs:us-west-2:123456789012:prod-q",
        functionName: reserved.arn,
      });
      new LambdaEventSourceMapping(stack, "too-many", {
        eventSourceArn: "arn:aws:sqs:us-west-2:123456789012:prod-q2",
        functionName: reserved.arn,
        scalingConfig: { maximumConcurrency: 5 },
      });
    });
    expect(found(violations)).toEqual([
      ["event-source-concurrency", "fixture/uncapped"],
      ["event-source-concurrency", "fixture/too-many"],
    ]);
    expect(violations[1].detail).toBe(
      "maximum_concurrency 5 exceeds fixture/reserved's reserved concurrency 2",
    );
  });

  test("a cap at the reserved concurrency, and a mapping into an unreserved function, pass", () => {
    expect(
      synthViolations((stack) => {
        const reserved = fn(stack, "reserved", { reserved: 2 });
        new LambdaEventSourceMapping(stack, "capped", {
          eventSourceArn: "arn:aws:sqs:us-west-2:123456789012:prod-q",
          functionName: reserved.functionName,
          scalingConfig: { maximumConcurrency: 2 },
        });
        new LambdaEventSourceMapping(stack, "free", {
          eventSourceArn: "arn:aws:sqs:us-west-2:123456789012:prod-q2",
          functionName: fn(stack, "free-fn").arn,
        });
      }),
    ).toEqual([]);
  });
});
