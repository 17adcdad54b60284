import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { readPlan, readSecretAttributes } from "../lib/plan/files";
import { renderFailure, renderPlan } from "../lib/plan/render";
import { assertPlanOfStack } from "../lib/plan/stack-identity";

/** `npm run plan:render`: a plan JSON as the Markdown of a PR comment, job summary or drift issue. */
const spec = {
  usage:
    "usage: npm run plan:render -- <plan.json> --stack <id> [--synthesized <cdk.tf.json>] [--substituted] [--heading <word>] [--context <line> ...] [--run-url <url>] [--limit <n>] | --stack <id> --failed <reason>",
  help: `Writes Markdown to stdout: counts per action, destructive changes with reasons, details collapsed,
never a sensitive value, at most --limit characters (default 65536, GitHub's comment limit). Refuses a
plan of another stack than --stack, or of other engine or provider versions than the stack pins.
  --synthesized  the stack's synthesized cdk.tf.json: its SOPS-fed attributes are never shown
  --substituted  the plan was made with fake secrets (npm run plan:substitute): name those attributes as not compared
  --failed       render "the plan failed" with a link to the run instead of a plan`,
  options: {
    stack: { type: "string" },
    synthesized: { type: "string" },
    substituted: { type: "boolean" },
    heading: { type: "string" },
    context: { type: "string", multiple: true },
    "run-url": { type: "string" },
    limit: { type: "string" },
    failed: { type: "string" },
  },
} as const;

runCli(() => {
  const args = parseCommand(spec);
  if (!args) return;
  const { values, positionals } = args;
  if (!values.stack) throw new UserError(`--stack is required\n${spec.usage}`);
  const common = {
    stack: values.stack,
    heading: values.heading,
    context: values.context,
    runUrl: values["run-url"],
  };
  if (values.failed !== undefined) {
    process.stdout.write(renderFailure({ ...common, reason: values.failed }));
    return;
  }
  if (positionals.length !== 1) throw new UserError(`expected one plan JSON file\n${spec.usage}`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 2000))
    throw new UserError(`--limit: expected a whole number of characters, at least 2000, got ${values.limit}`);
  if (values.substituted && !values.synthesized)
    throw new UserError(
      "--substituted needs --synthesized <cdk.tf.json> (to name the attributes not compared)",
    );
  const secrets = values.synthesized ? readSecretAttributes(values.synthesized) : [];
  const plan = readPlan(positionals[0]);
  assertPlanOfStack(plan, positionals[0], values.stack);
  process.stdout.write(renderPlan(plan, { ...common, limit, secrets, substituted: values.substituted }));
});
