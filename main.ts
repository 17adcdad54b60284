import { loadEnvironments } from "./config";
import { applyPolicies } from "./policies";
import { runCli } from "./lib/cli/cli";
import { parseSynthArgs, synthesizeApp } from "./lib/synth/synth-app";
import { environmentStacks, stackRegistry } from "./stacks/registry";

runCli(() => {
  const requested = parseSynthArgs();
  if (!requested) return;
  const stacks = stackRegistry(environmentStacks(loadEnvironments()));
  for (const line of synthesizeApp(stacks, requested, applyPolicies)) process.stdout.write(`${line}\n`);
});
