import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { EnvironmentConfig } from "../../config";
import {
  diffEnvironments,
  formatDiffMarkdown,
  synthEnvironment,
  type EnvironmentsDiff,
} from "../../lib/parity/envs-diff";
import { environments } from "../helpers/environments";
import { inPlainNode } from "../helpers/plain-node";

/**
 * Parity of the committed environments (replaces the hand-kept list of expected differences): every
 * difference between the synthesized stacks must be declared by a config field.
 */
const envs = environments() as Record<string, EnvironmentConfig>;
const names = Object.keys(envs);
const pairs = names.slice(1).map((name) => [names[0], name] as const);

// The diffs synthesize the first environment once per differing config field (about twenty stacks a pair):
// they run in plain Node, three times faster than in this file's vm context (helpers/plain-node.ts).
const diffs = new Map<string, EnvironmentsDiff>();
function diffOf(a: string, b: string): EnvironmentsDiff {
  if (!diffs.has(`${a} ${b}`)) {
    const env = { ...process.env };
    delete env.MEDIA_DOWNLOADER_RELEASE; // the committed environments, as helpers/environments.ts reads them
    diffs.set(`${a} ${b}`, inPlainNode("lib/parity/envs-diff.ts", "diffNamedEnvironments", [[a, b]], env));
  }
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
  const name = names[0];
  // The same environment twice, so no config field differs; the second copy's stack gets a memory size.
  const [config, copy] = [envs[name], structuredClone(envs[name])];
  const synthesized = synthEnvironment(config);
  const synth = (c: EnvironmentConfig) => {
    const json = structuredClone(synthesized) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    if (c === copy) Object.values(json.resource.aws_lambda_function)[0].memory_size = 4096;
    return json;
  };
  const diff = diffEnvironments([name, `${name}'`], [config, copy], synth);
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
