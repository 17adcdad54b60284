import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { rerunAdvice } from "../lib/plan/rerun";

/**
 * `npm run -s plan:rerun-advice -- --reviewed-artifact <name> --attempt <n>`: prints which re-run to use
 * when the apply's plan differs from the reviewed one (lib/plan/rerun.ts).
 */
const spec = {
  usage:
    "usage: npm run plan:rerun-advice -- --reviewed-artifact <plan-<stack>-<run>-<attempt>> --attempt <n>",
  options: { "reviewed-artifact": { type: "string" }, attempt: { type: "string" } },
  positionals: false,
} as const;

runCli(() => {
  const args = parseCommand(spec);
  if (!args) return;
  const artifact = args.values["reviewed-artifact"];
  const attempt = Number(args.values.attempt);
  if (!artifact || !Number.isInteger(attempt) || attempt < 1)
    throw new UserError(
      `--reviewed-artifact and --attempt (a run attempt, 1 or more) are required\n${spec.usage}`,
    );
  process.stdout.write(`${rerunAdvice(artifact, attempt)}\n`);
});
