import { loadBootstrap, loadEnvironments } from "./config";
import { applyPolicies } from "./policies";
import { runCli } from "./lib/cli/cli";
import { parseSynthArgs, synthesizeApp } from "./lib/synth/synth-app";
import { bootstrapStacks } from "./stacks/bootstrap-stack";
import { environmentStacks, stackRegistry } from "./stacks/registry";

runCli(() => {
  const requested = parseSynthArgs();
  if (!requested) return;
  const environments = loadEnvironments();
  const stacks = stackRegistry(environmentStacks(environments), bootstrapStacks(loadBootstrap(environments)));
  for (const line of synthesizeApp(stacks, requested, applyPolicies)) process.stdout.write(`${line}\n`);
});
