import { applyCounts, protectedAddresses } from "../../lib/emulator/lifecycle";
import {
  ENDPOINT_SERVICES,
  emulatorOverride,
  overrideEndpoints,
  unmappedTypes,
} from "../../lib/emulator/override";
import { assertLoopback, emulatorClientEnv } from "../../lib/emulator/server";
import { prepareWorkingCopy, type StackJson } from "../../lib/engine/working-copy";
import { synthBootstrap } from "../helpers/bootstrap";
import { stackIds } from "../helpers/environments";
import { synthStack } from "../helpers/synth";

const ENDPOINT = "http://127.0.0.1:4566";

/** Every stack as its working copy (what the override sits beside): each environment's and the bootstrap's. */
function stacks(): [string, StackJson][] {
  const all: [string, unknown][] = [
    ...stackIds().map((id) => [id, synthStack(id)] as [string, unknown]),
    ["bootstrap-stack", synthBootstrap().json],
  ];
  return all.map(([id, json]) => [id, prepareWorkingCopy(id, json as StackJson).main]);
}

describe.each(stacks())("the emulator override of %s", (_id, stack) => {
  const override = emulatorOverride(stack, ENDPOINT);
  const providers = (override.provider as { aws: Record<string, unknown>[] }).aws;

  test("every resource and data type of the stack calls a service the override points at the emulator", () => {
    expect(unmappedTypes(stack)).toEqual([]);
  });

  test("covers every aws provider configuration, the us-east-1 alias included, with every endpoint on loopback", () => {
    const configs = stack.provider!.aws as { alias?: string }[];
    expect(providers.map((p) => p.alias ?? null)).toEqual(configs.map((c) => c.alias ?? null));
    expect(providers.length).toBeGreaterThan(1);
    for (const p of providers) {
      expect(Object.keys((p.endpoints as Record<string, string>[])[0]).sort()).toEqual(
        [...ENDPOINT_SERVICES].sort(),
      );
      expect(p.access_key).toMatch(/^AKIAEMULATED/);
      expect(p.max_retries).toBeLessThanOrEqual(3);
    }
    for (const url of overrideEndpoints(override)) expect(url).toBe(ENDPOINT);
  });

  test("removes the CloudFront response-headers policy and only the cache behaviours' reference to it", () => {
    const resources = stack.resource as Record<string, Record<string, Record<string, unknown>>>;
    const policies = Object.keys(resources.aws_cloudfront_response_headers_policy ?? {});
    const resource = (override.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
    for (const name of policies)
      expect(resource.aws_cloudfront_response_headers_policy[name]).toEqual({ count: 0 });
    for (const [name, rewritten] of Object.entries(resource.aws_cloudfront_distribution ?? {})) {
      const original = resources.aws_cloudfront_distribution[name].default_cache_behavior as Record<
        string,
        unknown
      >;
      const { response_headers_policy_id: dropped, ...rest } = original;
      expect(dropped).toMatch(/aws_cloudfront_response_headers_policy\./);
      expect(rewritten.default_cache_behavior).toEqual(rest);
    }
    if (policies.length === 0) expect(resource.aws_cloudfront_distribution).toBeUndefined();
  });
});

test("the harness refuses any endpoint off loopback", () => {
  for (const bad of [
    "http://10.0.0.1:4566",
    "https://s3.amazonaws.com",
    "http://127.0.0.1.example.com:1",
    "http://localhost.evil:80",
  ])
    expect(() => assertLoopback(bad)).toThrow(/not on loopback/);
  const [[, stack]] = stacks();
  expect(() => emulatorOverride(stack, "http://192.168.1.5:4566")).toThrow(/not on loopback/);
  expect(() => assertLoopback("http://127.0.0.1:4566")).not.toThrow();
});

test("clients of the emulated account never see the caller's AWS credentials or profile", () => {
  const env = emulatorClientEnv(ENDPOINT, {
    PATH: "/usr/bin",
    AWS_ACCESS_KEY_ID: "AKIAREALKEY",
    AWS_SECRET_ACCESS_KEY: "real",
    AWS_SESSION_TOKEN: "real",
    AWS_PROFILE: "prod",
  });
  expect(env.AWS_ACCESS_KEY_ID).toMatch(/^AKIAEMULATED/);
  expect(env.AWS_SESSION_TOKEN).toBeUndefined();
  expect(env.AWS_PROFILE).toBeUndefined();
  expect(env.AWS_ENDPOINT_URL).toBe(ENDPOINT);
  expect(env.PATH).toBe("/usr/bin");
});

test("apply summaries are read with and without imports", () => {
  expect(applyCounts("Apply complete! Resources: 3 imported, 47 added, 0 changed, 0 destroyed.")).toEqual({
    imported: 3,
    added: 47,
    changed: 0,
    destroyed: 0,
  });
  expect(applyCounts("Apply complete! Resources: 0 added, 4 changed, 0 destroyed.")).toEqual({
    imported: 0,
    added: 0,
    changed: 4,
    destroyed: 0,
  });
  expect(applyCounts("Error: nothing")).toBeUndefined();
});

test("protected resources are those with prevent_destroy", () => {
  expect(
    protectedAddresses({
      resource: { aws_s3_bucket: { a: { lifecycle: { prevent_destroy: true } }, b: {} } },
    } as StackJson),
  ).toEqual(["aws_s3_bucket.a"]);
});
