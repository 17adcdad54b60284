import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DsqlCluster } from "@cdktf/provider-aws/lib/dsql-cluster";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { Fn, Lazy } from "cdktf";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { POLICY_CONTEXT_FILE_ENV, formatViolation } from "../../policies";
import { FixtureStack, PRODUCTION, STAGING, found, synthViolations } from "./fixture";

const trust = Fn.jsonencode({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com"] }, Action: "sts:AssumeRole" },
  ],
});

/** One compliant instance of everything the rules look at, in a production stack. */
function compliant(stack: FixtureStack): void {
  const prefix = stack.config.prefix;
  const protect = stack.config.deletionProtection;
  new SqsQueue(stack, "queue", {
    name: `${prefix}-queue`,
    tags: { Name: "queue", Environment: stack.config.environment },
  });
  new S3Bucket(stack, "bucket", {
    bucket: `lifegames-${prefix}-media`,
    lifecycle: { preventDestroy: protect },
  });
  new DynamodbTable(stack, "table", {
    name: `${prefix}-table`,
    hashKey: "id",
    attribute: [{ name: "id", type: "S" }],
    billingMode: "PAY_PER_REQUEST",
    deletionProtectionEnabled: protect,
    lifecycle: { preventDestroy: protect },
  });
  new DsqlCluster(stack, "cluster", {
    deletionProtectionEnabled: protect,
    lifecycle: { preventDestroy: protect },
  });
  const logGroup = new CloudwatchLogGroup(stack, "logs", {
    name: `/aws/lambda/${prefix}-fn`,
    retentionInDays: 7,
  });
  const role = new IamRole(stack, "role", { name: `${prefix}-fn`, assumeRolePolicy: trust });
  new IamRolePolicy(stack, "policy", {
    name: "permissions",
    role: role.id,
    policy: Lazy.stringValue({
      produce: () =>
        Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: [`${logGroup.arn}:*`] },
            {
              Effect: "Allow",
              Action: ["xray:PutTraceSegments", "cloudwatch:PutMetricData"],
              Resource: ["*"],
            },
            { Effect: "Deny", Action: "s3:*", Resource: "*" },
          ],
        }),
    }),
  });
  new LambdaPermission(stack, "permission", {
    functionName: `${prefix}-fn`,
    action: "lambda:InvokeFunction",
    principal: "s3.amazonaws.com",
    sourceArn: `arn:aws:s3:::lifegames-${prefix}-media`,
  });
}

describe("synth-time policies (aspects)", () => {
  test("a compliant production stack synthesizes", () => {
    expect(synthViolations(compliant, PRODUCTION)).toEqual([]);
  });

  test("a compliant staging stack synthesizes", () => {
    expect(synthViolations(compliant, STAGING)).toEqual([]);
  });

  test("required-tags: a resource overriding a default tag", () => {
    const violations = synthViolations((stack) => {
      new SqsQueue(stack, "queue", { name: "prod-queue", tags: { Environment: "prod", Owner: "me" } });
    });
    expect(found(violations)).toEqual([["required-tags", "fixture/queue"]]);
    expect(violations[0].detail).toContain('tags.Environment overrides "production" with "prod"');
  });

  test("required-tags: a provider without default_tags, and one with a wrong value", () => {
    expect(found(synthViolations(() => {}, PRODUCTION, { defaultTags: null }))).toEqual([
      ["required-tags", "fixture/aws"],
    ]);
    const wrong = synthViolations(() => {}, PRODUCTION, {
      defaultTags: { Environment: "production", Project: "other", ManagedBy: "cdktf" },
    });
    expect(wrong.map(formatViolation)).toEqual([
      expect.stringMatching(
        /^required-tags fixture\/aws: .*default_tags\.Project is "other", expected "media-downloader"/,
      ),
    ]);
  });

  test("name-prefix: names without the prefix token", () => {
    const violations = synthViolations((stack) => {
      new SqsQueue(stack, "queue", { name: "queue" });
      new SqsQueue(stack, "glued", { name: "prodqueue" });
      new CloudwatchLogGroup(stack, "logs", { name: "/aws/lambda/stag-fn", retentionInDays: 7 });
      new S3Bucket(stack, "bucket", { bucket: "lifegames-media", lifecycle: { preventDestroy: true } });
      // Accepted: a path segment token, a name AWS composes with ".", a reference decided at plan.
      new CloudwatchLogGroup(stack, "edge", { name: "/aws/lambda/us-east-1.prod-edge", retentionInDays: 7 });
      const ok = new SqsQueue(stack, "ok", { name: "prod-ok" });
      new SqsQueue(stack, "ref", { name: `${ok.name}-dlq` });
    });
    expect(found(violations)).toEqual([
      ["name-prefix", "fixture/queue"],
      ["name-prefix", "fixture/glued"],
      ["name-prefix", "fixture/logs"],
      ["name-prefix", "fixture/bucket"],
    ]);
    expect(violations[0].detail).toBe('name "queue" lacks the prefix "prod"');
  });

  test("data-protection: production data stores without protection", () => {
    const unprotected = (stack: FixtureStack) => {
      new S3Bucket(stack, "bucket", { bucket: `lifegames-${stack.config.prefix}-media`, forceDestroy: true });
      new DynamodbTable(stack, "table", {
        name: `${stack.config.prefix}-table`,
        hashKey: "id",
        attribute: [{ name: "id", type: "S" }],
        billingMode: "PAY_PER_REQUEST",
        deletionProtectionEnabled: false,
      });
      new DsqlCluster(stack, "cluster", { deletionProtectionEnabled: true });
    };
    const violations = synthViolations(unprotected, PRODUCTION);
    expect(found(violations)).toEqual([
      ["data-protection", "fixture/bucket"],
      ["data-protection", "fixture/table"],
      ["data-protection", "fixture/cluster"],
    ]);
    expect(violations[0].detail).toBe("lifecycle.prevent_destroy is not set; force_destroy is true");
    expect(violations[1].detail).toBe(
      "deletion_protection_enabled is false; lifecycle.prevent_destroy is not set",
    );
    // Staging asks for no protection: the same stack passes.
    expect(synthViolations(unprotected, STAGING)).toEqual([]);
  });

  test("log-retention: a log group that never expires", () => {
    const violations = synthViolations((stack) => {
      new CloudwatchLogGroup(stack, "logs", { name: "/aws/lambda/prod-fn" });
      new CloudwatchLogGroup(stack, "forever", { name: "/aws/lambda/prod-other", retentionInDays: 0 });
    });
    expect(found(violations)).toEqual([
      ["log-retention", "fixture/logs"],
      ["log-retention", "fixture/forever"],
    ]);
  });

  test("iam-least-privilege: wildcard actions and unlisted '*' resources, in every document shape", () => {
    const violations = synthViolations((stack) => {
      const role = new IamRole(stack, "role", { name: "prod-fn", assumeRolePolicy: trust });
      new IamRolePolicy(stack, "star-action", {
        role: role.id,
        policy: Fn.jsonencode({
          Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::lifegames-prod-media/*" }],
        }),
      });
      new IamRolePolicy(stack, "star-resource", {
        role: role.id,
        policy: Fn.jsonencode({
          Statement: [
            { Effect: "Allow", Action: ["sqs:SendMessage", "xray:PutTraceSegments"], Resource: "*" },
          ],
        }),
      });
      new IamRolePolicy(stack, "json-string", {
        role: role.id,
        policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
      });
      new DataAwsIamPolicyDocument(stack, "document", {
        statement: [
          { actions: ["dynamodb:*"], resources: ["arn:aws:dynamodb:us-west-2:123456789012:table/prod-t"] },
        ],
      });
    });
    expect(found(violations)).toEqual([
      ["iam-least-privilege", "fixture/star-action"],
      ["iam-least-privilege", "fixture/star-resource"],
      ["iam-least-privilege", "fixture/json-string"],
      ["iam-least-privilege", "fixture/document"],
    ]);
    expect(violations[0].detail).toBe('policy statement 0: action "s3:*"');
    expect(violations[1].detail).toBe('policy statement 0: resource "*" for "sqs:SendMessage"');
    expect(violations[2].detail).toBe(
      'policy statement 0: action "*"; policy statement 0: resource "*" for "*"',
    );
    expect(violations[3].detail).toBe('statement 0: action "dynamodb:*"');
  });

  test("lambda-permission-source: a permission any source could use", () => {
    const violations = synthViolations((stack) => {
      new LambdaPermission(stack, "permission", {
        functionName: "prod-fn",
        action: "lambda:InvokeFunction",
        principal: "events.amazonaws.com",
      });
    });
    expect(found(violations)).toEqual([["lambda-permission-source", "fixture/permission"]]);
  });

  test("the PolicyError lists every violation as '<rule id> <construct path>: <reason>'", () => {
    const app = synthViolations((stack) => {
      new SqsQueue(stack, "queue", { name: "queue" });
      new CloudwatchLogGroup(stack, "logs", { name: "/aws/lambda/prod-fn" });
    });
    expect(app.map(formatViolation)).toEqual([
      'name-prefix fixture/queue: named resources carry the environment prefix as a \'-\'-separated token or path segment (name "queue" lacks the prefix "prod")',
      "log-retention fixture/logs: log groups set retention_in_days (retention_in_days is null)",
    ]);
  });

  test("applyPolicies writes each stack's policy context when asked", () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-context-"));
    const file = join(dir, "context.json");
    process.env[POLICY_CONTEXT_FILE_ENV] = file;
    try {
      synthViolations(compliant, STAGING);
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ fixture: STAGING });
    } finally {
      delete process.env[POLICY_CONTEXT_FILE_ENV];
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
