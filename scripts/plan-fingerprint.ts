import { readFileSync, writeFileSync } from "node:fs";
import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { compareFingerprints, fingerprint, parseFingerprint } from "../lib/plan/fingerprint";
import { readPlan, readSecretAttributes } from "../lib/plan/files";
import { assertPlanOfStack } from "../lib/plan/stack-identity";

/**
 * `npm run plan:fingerprint`: the fingerprint of a plan's resource changes (sensitive values left out).
 * `--write` stores the document (safe to upload: no sensitive value in it); `--compare` checks a new
 * plan against a stored one and exits 1 listing every difference.
 */
const spec = {
  usage:
    "usage: npm run plan:fingerprint -- <plan.json> --stack <id> [--synthesized <cdk.tf.json>] [--write <fingerprint.json>] [--compare <reviewed.json>]",
  help: `Prints the sha256 of the plan's resource changes.
  --stack        the stack the plan must belong to (and whose engine and provider versions it must use)
  --synthesized  the stack's cdk.tf.json: its SOPS-fed attributes are left out like sensitive values
  --write        also write the fingerprint document to this file
  --compare      compare with a document written by --write; differences go to stdout, exit 1`,
  options: {
    stack: { type: "string" },
    synthesized: { type: "string" },
    write: { type: "string" },
    compare: { type: "string" },
  },
} as const;

runCli(() => {
  const args = parseCommand(spec);
  if (!args) return;
  const { values, positionals } = args;
  if (positionals.length !== 1) throw new UserError(`expected one plan JSON file\n${spec.usage}`);
  if (!values.stack) throw new UserError(`--stack is required\n${spec.usage}`);
  const secrets = values.synthesized ? readSecretAttributes(values.synthesized) : [];
  const plan = readPlan(positionals[0]);
  assertPlanOfStack(plan, positionals[0], values.stack);
  const current = fingerprint(plan, secrets);
  if (values.write) writeFileSync(values.write, `${JSON.stringify(current, null, 2)}\n`);
  if (values.compare) {
    let text: string;
    try {
      text = readFileSync(values.compare, "utf8");
    } catch {
      throw new UserError(`${values.compare}: cannot read the reviewed fingerprint`);
    }
    let reviewed;
    try {
      reviewed = parseFingerprint(text, values.compare);
    } catch (error) {
      throw new UserError((error as Error).message);
    }
    const differences = compareFingerprints(reviewed, current);
    if (differences.length > 0) {
      process.stdout.write(
        `The plan differs from the reviewed plan (${reviewed.sha256} -> ${current.sha256}):\n${differences.map((d) => `- ${d}`).join("\n")}\n`,
      );
      throw new UserError(`${differences.length} difference(s) from the reviewed plan; nothing applied`);
    }
    process.stdout.write(`the plan equals the reviewed plan: ${current.sha256}\n`);
    return;
  }
  process.stdout.write(`${current.sha256}\n`);
});
