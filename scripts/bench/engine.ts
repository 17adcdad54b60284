/**
 * Benchmark (not a test): our engine verification of both stacks (lib/engine: parallel init, plan,
 * show -json and plan policies, one provider install) against cdktf's Testing matchers
 * toBeValidTerraform() (init + validate) and toPlanSuccessfully() (init + plan), on the same synthesized
 * stacks. Both run the same offline working copies (local backend, fake credentials and secrets) with the
 * same engine environment; the app is synthesized once, outside the timings.
 *
 *   node -r ./lib/transpile/register.cjs scripts/bench/engine.ts [--runs N | --prepare | --variant ours|matchers]
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toBeValidTerraform, toPlanSuccessfully } from "cdktf/lib/testing/matchers";
import { UserError, runCli } from "../../lib/cli/cli";
import { REPO_ROOT, previewStacks } from "../../lib/engine";
import { FILES } from "../../lib/engine/working-copy";

const STACKS = ["staging-stack", "prod-stack"];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmt = (s: number) => `${s.toFixed(2)}s`;

/** A cdktf.out-shaped directory (manifest + stacks/<id>/) holding the preview's working copies. */
function matcherDir(workDir: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  const stacks: Record<string, unknown> = {};
  for (const stack of STACKS) {
    const target = join(dir, "stacks", stack);
    mkdirSync(target, { recursive: true });
    for (const file of Object.values(FILES)) copyFileSync(join(workDir, stack, file), join(target, file));
    stacks[stack] = {
      name: stack,
      workingDirectory: `stacks/${stack}`,
      synthesizedStackPath: `stacks/${stack}/cdk.tf.json`,
    };
  }
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks }));
}

function timed(body: () => { pass: boolean; message: string }): number {
  const started = performance.now();
  const result = body();
  if (!result.pass) throw new UserError(`cdktf matcher failed: ${result.message}`);
  return (performance.now() - started) / 1000;
}

/**
 * One step of the engine benchmark, so `npm run bench` can time each variant as its own process:
 *   --prepare            synthesize once, warm the provider cache, write the matchers' copy of the stacks
 *   --variant ours       plan both stacks the project's way (init, plan, show -json, plan policies; parallel)
 *   --variant matchers   cdktf's toBeValidTerraform() then toPlanSuccessfully() on the same working copies
 * Without options it runs both variants --runs times in one process and prints medians.
 */
runCli(async () => {
  const args = process.argv.slice(2);
  const runsArg = args.indexOf("--runs");
  const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 3;
  if (!Number.isInteger(runs) || runs < 1) throw new UserError("--runs expects a positive integer");
  const variantArg = args.indexOf("--variant");
  const variant = variantArg >= 0 ? args[variantArg + 1] : undefined;
  if (variant !== undefined && variant !== "ours" && variant !== "matchers")
    throw new UserError("--variant expects ours or matchers");
  const workDir = join(REPO_ROOT, ".preview", "bench");
  const outdir = join(workDir, "cdktf.out");
  const contextFile = join(workDir, "policy-context.json");
  const matchers = join(workDir, "matchers");

  let installEnv: NodeJS.ProcessEnv | undefined;
  if (args.includes("--prepare") || variant === undefined) {
    // Synthesizes once, fills the plugin cache and the page cache for the provider binary.
    process.stderr.write("bench: synth and warm-up run\n");
    installEnv = (await previewStacks(STACKS, { workDir })).installs[0].env;
    matcherDir(workDir, matchers);
    if (variant === undefined && args.includes("--prepare")) return;
  }
  const contexts = existsSync(contextFile) ? JSON.parse(readFileSync(contextFile, "utf8")) : {};

  const oursOnce = async () => {
    const started = performance.now();
    const result = await previewStacks(STACKS, { workDir, synthesized: { outdir, contexts } });
    installEnv = result.installs[0].env;
    if (result.stacks.some((s) => (s.violations ?? []).length > 0))
      throw new UserError("plan policies failed");
    return (performance.now() - started) / 1000;
  };
  const matchersOnce = async () => {
    // The preview's engine environment (CLI config with its mirror shim, plugin cache), from a run.
    installEnv ??= (await previewStacks(STACKS, { workDir, synthesized: { outdir, contexts } })).installs[0]
      .env;
    // The matchers read process.env and TERRAFORM_BINARY_NAME: give them the preview's engine environment.
    const env = installEnv!;
    for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
    Object.assign(process.env, env);
    matcherDir(workDir, matchers);
    const valid = timed(() => toBeValidTerraform(matchers));
    matcherDir(workDir, matchers);
    return [valid, timed(() => toPlanSuccessfully(matchers))];
  };

  if (variant === "ours") {
    await oursOnce();
    return;
  }
  if (variant === "matchers") {
    await matchersOnce();
    return;
  }

  const ours: number[] = [];
  const valid: number[] = [];
  const plan: number[] = [];
  for (let i = 0; i < runs; i++) {
    process.stderr.write(`bench: run ${i + 1}/${runs}\n`);
    ours.push(await oursOnce());
    const [v, p] = await matchersOnce();
    valid.push(v);
    plan.push(p);
  }

  const both = valid.map((v, i) => v + plan[i]);
  const row = (label: string, values: number[]) =>
    `  ${label.padEnd(44)} median ${fmt(median(values))}  [${values.map(fmt).join(" ")}]`;
  const lines = [
    `engine verification of ${STACKS.join(" + ")}, ${runs} run(s), same synthesized stacks and working copies`,
    row("ours: init + plan + show -json + policies", ours),
    row("cdktf toBeValidTerraform (init + validate)", valid),
    row("cdktf toPlanSuccessfully (init + plan)", plan),
    row("cdktf, both matchers", both),
    `  ratio: toPlanSuccessfully / ours = ${(median(plan) / median(ours)).toFixed(2)}, both matchers / ours = ${(median(both) / median(ours)).toFixed(2)}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
});
