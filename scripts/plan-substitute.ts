import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import type { StackJson } from "../lib/engine/working-copy";
import { substituteSecrets, writeSubstitutedStack } from "../lib/plan/substitute";

/**
 * `npm run plan:substitute -- <stack dir> --out <dir>`: copies a synthesized stack with its secrets
 * replaced by fake values (as the offline preview does) but its real backend and providers, so a
 * pull request can plan production against its real state without production's age key.
 */
const spec = {
  usage: "usage: npm run plan:substitute -- <cdktf.out/stacks/<stack>> --out <dir>",
  options: { out: { type: "string" } },
} as const;

runCli(() => {
  const args = parseCommand(spec);
  if (!args) return;
  const { values, positionals } = args;
  if (positionals.length !== 1 || !values.out)
    throw new UserError(`expected a stack directory and --out\n${spec.usage}`);
  const source = join(positionals[0], "cdk.tf.json");
  if (!existsSync(source)) throw new UserError(`${source}: not found (synthesize the stack first)`);
  if (resolve(values.out) === resolve(positionals[0]))
    throw new UserError("--out must be another directory: the synthesized stack is kept for the renderer");
  const stackId = resolve(positionals[0]).split("/").pop()!;
  const stack = substituteSecrets(stackId, JSON.parse(readFileSync(source, "utf8")) as StackJson);
  const lockFile = join(positionals[0], ".terraform.lock.hcl");
  writeSubstitutedStack(values.out, stack, existsSync(lockFile) ? readFileSync(lockFile, "utf8") : undefined);
  process.stdout.write(
    `${values.out}: ${stack.replacedKeys.length} secret(s) substituted: ${stack.replacedKeys.join(", ")}\n`,
  );
});
