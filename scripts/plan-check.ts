import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { checkPlan, readPlanFile } from "../lib/plan/check";
import { assertPlanOfStack } from "../lib/plan/stack-identity";

/**
 * `npm run plan:check -- <plan.json> --stack <id> [--allow <address> ...]`: fails when the plan (`show -json`) would
 * delete or replace a resource that holds data (lib/plan/stateful.ts). Writes nothing.
 */
runCli(() => {
  const parsed = parseCommand({
    usage: "usage: npm run plan:check -- <plan.json> --stack <id> [--allow <address> ...]",
    help:
      "Refuses a plan that deletes or replaces (either order) a stateful resource, naming each address, the\n" +
      "engine's action_reason and the attributes forcing replacement. `forget` (OpenTofu/Terraform removed\n" +
      "blocks with destroy = false) is reported, not refused. Refuses a plan of another stack than --stack,\n" +
      "or of other engine or provider versions than the stack pins.\n" +
      "  --allow <address>  let exactly this address through (must be a refused change in this plan); printed as an audit line",
    options: { stack: { type: "string" }, allow: { type: "string", multiple: true } },
  });
  if (!parsed) return;
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0)
    throw new UserError(
      "expected exactly one plan file\nusage: npm run plan:check -- <plan.json> --stack <id> [--allow <address> ...]",
    );
  if (!parsed.values.stack)
    throw new UserError(
      "--stack is required\nusage: npm run plan:check -- <plan.json> --stack <id> [--allow <address> ...]",
    );
  const plan = readPlanFile(file);
  assertPlanOfStack(plan, file, parsed.values.stack);
  const result = checkPlan(plan, parsed.values.allow ?? []);
  for (const line of result.lines) (result.ok ? process.stdout : process.stderr).write(`${line}\n`);
  if (!result.ok) process.exitCode = 1;
});
