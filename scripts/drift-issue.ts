import { readFileSync } from "node:fs";
import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { githubIssuesApi, syncDriftIssue } from "../lib/pipeline/drift-issue";

/**
 * `npm run drift:issue -- --stack <id> --exitcode <0|2> --body <file>`: opens, updates or closes the
 * stack's drift issue from a `plan -detailed-exitcode` result. Needs GITHUB_TOKEN and GITHUB_REPOSITORY.
 */
const spec = {
  usage: "usage: npm run drift:issue -- --stack <id> --exitcode <0|2> --body <rendered plan.md>",
  options: { stack: { type: "string" }, exitcode: { type: "string" }, body: { type: "string" } },
} as const;

runCli(async () => {
  const args = parseCommand(spec);
  if (!args) return;
  const { stack, exitcode, body } = args.values;
  if (!stack || !body) throw new UserError(`--stack and --body are required\n${spec.usage}`);
  if (exitcode !== "0" && exitcode !== "2")
    throw new UserError(
      `--exitcode: expected 0 (no changes) or 2 (changes), got ${exitcode ?? "nothing"}; a failed plan says nothing about drift`,
    );
  const { GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_SERVER_URL, GITHUB_RUN_ID } = process.env;
  if (!GITHUB_TOKEN || !GITHUB_REPOSITORY)
    throw new UserError("GITHUB_TOKEN and GITHUB_REPOSITORY must be set");
  const runUrl =
    GITHUB_SERVER_URL && GITHUB_RUN_ID
      ? `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`
      : undefined;
  const api = githubIssuesApi({ repository: GITHUB_REPOSITORY, token: GITHUB_TOKEN, apiUrl: GITHUB_API_URL });
  const result = await syncDriftIssue(api, {
    stack,
    drifted: exitcode === "2",
    body: readFileSync(body, "utf8"),
    runUrl,
  });
  process.stdout.write(
    `${stack}: drift issue ${result.action}${result.number ? ` #${result.number}` : ""}\n`,
  );
});
