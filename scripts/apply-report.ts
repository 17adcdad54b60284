import { readFileSync } from "node:fs";
import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { parseApplyLog, renderApplyReport } from "../lib/plan/apply-report";

/** `npm run apply:report -- <apply.jsonl> --stack <id> [--failed]`: the job summary of an apply. */
const spec = {
  usage: "usage: npm run apply:report -- <apply.jsonl> --stack <id> [--failed]",
  help: "Reads `tofu apply -json` output and writes Markdown (applied, failed, errors) to stdout.",
  options: { stack: { type: "string" }, failed: { type: "boolean" } },
} as const;

const RUNBOOK = 'see "A half-applied stack" and "A stale state lock" in .github/README.md';

runCli(() => {
  const args = parseCommand(spec);
  if (!args) return;
  const { values, positionals } = args;
  if (positionals.length !== 1 || !values.stack)
    throw new UserError(`expected the apply log and --stack\n${spec.usage}`);
  let text = "";
  try {
    text = readFileSync(positionals[0], "utf8");
  } catch {
    // An apply that never started leaves no log: report it as such rather than fail the report.
  }
  process.stdout.write(
    renderApplyReport(parseApplyLog(text), {
      stack: values.stack,
      failed: Boolean(values.failed),
      runbook: RUNBOOK,
    }),
  );
});
