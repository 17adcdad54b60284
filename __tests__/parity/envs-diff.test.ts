import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { EnvironmentConfig } from "../../config";
import { diffEnvironments, formatDiffMarkdown, synthEnvironment } from "../../lib/parity/envs-diff";
import { environments } from "../helpers/environments";

/**
 * Parity of the committed environments (replaces the hand-kept list of expected differences): every
 * difference between the synthesized stacks must be declared by a config field.
 */
const envs = environments() as Record<string, EnvironmentConfig>;
const names = Object.keys(envs);
const pairs = names.slice(1).map((name) => [names[0], name] as const);

// Each counterfactual config is synthesized once for the whole file (the tests below ask for the same
// ones); every caller gets its own copy, so a test may change what it gets.
const synthesized = new Map<string, Record<string, unknown>>();
function synthOnce(config: EnvironmentConfig): Record<string, unknown> {
  const key = JSON.stringify(config);
  if (!synthesized.has(key)) synthesized.set(key, synthEnvironment(config));
  return structuredClone(synthesized.get(key)!);
}
const diffs = new Map<string, ReturnType<typeof diffEnvironments>>();
function diffOf(a: string, b: string) {
  if (!diffs.has(`${a} ${b}`))
    diffs.set(`${a} ${b}`, diffEnvironments([a, b], [envs[a], envs[b]], synthOnce));
  return diffs.get(`${a} ${b}`)!;
}

test.each(pairs)("%s vs %s: every difference is declared by config", (a, b) => {
  const diff = diffOf(a, b);
  expect(diff.undeclared).toEqual([]);
  expect(diff.differences.length).toBeGreaterThan(0);
});

test("the alarms and the bucket's force_destroy are declared by their fields", () => {
  const [a, b] = [names[0], names[1]];
  const diff = diffOf(a, b);
  const alarm = diff.differences.find((d) => /^resource aws_cloudwatch_metric_alarm [^.]+$/.test(d.where));
  const forceDestroy = diff.differences.find((d) =>
    /^resource aws_s3_bucket \S+\.force_destroy$/.test(d.where),
  );
  // docs/configuration.md: alarms are production's; deletionProtection drives the bucket's force_destroy.
  expect(alarm?.declaredBy).toEqual(["observability.alarms"]);
  expect(forceDestroy?.declaredBy).toEqual(["deletionProtection"]);
});

test("a difference no config field explains is flagged undeclared (broken fixture)", () => {
  const [a, b] = [names[0], names[1]];
  // The second environment's stack gets a memory size that no config field sets.
  const synth = (config: EnvironmentConfig) => {
    const json = synthOnce(config) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    if (config === envs[b]) {
      const fn = Object.values(json.resource.aws_lambda_function)[0];
      fn.memory_size = 4096;
    }
    return json;
  };
  const diff = diffEnvironments([a, b], [envs[a], envs[b]], synth);
  expect(
    diff.undeclared.map((d) => [d.where.replace(/^resource aws_lambda_function \S+\./, ""), d.b]),
  ).toEqual([["memory_size", 4096]]);
  expect(formatDiffMarkdown(diff)).toMatch(/1 not declared by config/);
});

test("envs:diff with an unknown environment is one line, exit 1", () => {
  const result = spawnSync(
    process.execPath,
    [
      "-r",
      require.resolve("../../lib/transpile/register.cjs"),
      join(__dirname, "..", "..", "scripts", "envs-diff.ts"),
      names[0],
      "nope",
    ],
    { encoding: "utf8" },
  );
  expect(result.status).toBe(1);
  expect(result.stderr).toBe(`error: unknown environment nope (config has ${names.join(", ")})\n`);
  expect(result.stdout).toBe("");
});
