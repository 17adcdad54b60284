/**
 * Synthesizes N generated environments (copies of staging with their own prefix and state key), to measure how synth grows with the number of stacks. Not a real environment list.
 * Usage: node -r ./lib/transpile/register.cjs scripts/bench/synth-many.ts <count> <outdir>
 */
import { App } from "cdktf";
import { ENVIRONMENT_INPUTS, parseEnvironment } from "../../config";
import { applyPolicies } from "../../policies";
import { MediaDownloaderStack } from "../../stacks/media-downloader-stack";
import { synthesizeAtomically } from "../../lib/synth/atomic-synth";
import { runCli, UserError } from "../../lib/cli/cli";

export function generatedEnvironments(count: number): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const base = structuredClone(ENVIRONMENT_INPUTS.staging);
    inputs[`gen${i}`] = {
      ...base,
      environment: `gen${i}`,
      stack: `gen${i}-stack`,
      prefix: `gen${i}`,
      backend: { ...base.backend, key: `env/gen${i}/terraform.tfstate` },
    };
  }
  return inputs;
}

runCli(() => {
  const count = Number(process.argv[2]);
  const outdir = process.argv[3];
  if (!Number.isInteger(count) || count < 1 || !outdir)
    throw new UserError("usage: synth-many.ts <count> <outdir>");
  // Each is validated alone: they share staging's secrets file, which real environments may not.
  const environments = Object.entries(generatedEnvironments(count)).map(
    ([name, input]) => [name, parseEnvironment(name, input)] as const,
  );
  synthesizeAtomically(outdir, (dir) => {
    const app = new App({ outdir: dir, stackTraces: false });
    for (const [, config] of environments) new MediaDownloaderStack(app, config.stack, config);
    applyPolicies(app);
    app.synth();
  });
});
