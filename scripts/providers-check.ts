import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { unlockedProviders } from "../lib/synth/provider-lock";

/**
 * `npm run providers:check -- <stack dir>`: refuses (one line, exit 1) a synthesized stack whose lock file
 * misses a provider it requires, before `init -lockfile=readonly` fails on it less clearly.
 */
const spec = {
  usage: "usage: npm run providers:check -- <cdktf.out/stacks/<stack>>",
} as const;

runCli(() => {
  const args = parseCommand(spec);
  if (!args) return;
  if (args.positionals.length !== 1) throw new UserError(`expected one stack directory\n${spec.usage}`);
  const dir = args.positionals[0];
  if (!existsSync(join(dir, "cdk.tf.json")))
    throw new UserError(`${dir}/cdk.tf.json: not found (synthesize the stack first)`);
  const missing = unlockedProviders(dir);
  if (missing.length > 0)
    throw new UserError(
      `${dir}/.terraform.lock.hcl does not lock ${missing.join(", ")}: add ${missing.length > 1 ? "them" : "it"} to the committed .terraform.lock.hcl (.github/README.md, "Provider source and lock file", one command)`,
    );
  process.stdout.write(`${dir}: every required provider is locked\n`);
});
