import { parseApplyLog, renderApplyReport } from "../../lib/plan/apply-report";

/**
 * Messages in the shape of `tofu apply -json` / `terraform apply -json` (the machine-readable UI:
 * apply_start, apply_complete, apply_errored, diagnostic, change_summary).
 */
const log = [
  { type: "version", terraform: "1.10.7", ui: "1.2" },
  { type: "apply_start", hook: { resource: { addr: "aws_sqs_queue.q" }, action: "create" } },
  { type: "apply_complete", hook: { resource: { addr: "aws_sqs_queue.q" }, action: "create" } },
  { type: "apply_start", hook: { resource: { addr: "aws_lambda_function.f" }, action: "update" } },
  { type: "apply_errored", hook: { resource: { addr: "aws_lambda_function.f" }, action: "update" } },
  { type: "apply_start", hook: { resource: { addr: "aws_s3_bucket.b" }, action: "create" } },
  {
    type: "diagnostic",
    diagnostic: {
      severity: "error",
      summary: "updating Lambda Function (stag-ListFiles) code",
      detail: "AccessDeniedException: not authorized; value FAKE-TEST-VALUE-x",
      address: "aws_lambda_function.f",
    },
  },
]
  .map((m) => JSON.stringify(m))
  .join("\n");

test("a failed apply says what was applied, what failed and what never finished", () => {
  const outcome = parseApplyLog(`${log}\nnot json\n`);
  expect(outcome.completed).toEqual([{ address: "aws_sqs_queue.q", action: "create" }]);
  expect(outcome.errored).toEqual([{ address: "aws_lambda_function.f", action: "update" }]);
  expect(outcome.unfinished).toEqual(["aws_s3_bucket.b"]);
  const text = renderApplyReport(outcome, {
    stack: "staging-stack",
    failed: true,
    runbook: "see the README",
  });
  expect(text).toContain("### ❌ Apply failed: `staging-stack`");
  expect(text).toContain(
    "1 resource change(s) were applied before it stopped, 1 failed, 1 started and never finished",
  );
  expect(text).toContain("- `aws_lambda_function.f` (update)");
  expect(text).toContain("- `aws_s3_bucket.b` (interrupted)");
  expect(text).toContain("- `aws_lambda_function.f`: updating Lambda Function (stag-ListFiles) code");
  expect(text).toContain("What to do next: see the README.");
  expect(text).not.toContain("FAKE-TEST-VALUE");
});

test("a successful apply reports the engine's counts", () => {
  const ok = `${log.split("\n").slice(0, 3).join("\n")}\n${JSON.stringify({
    type: "change_summary",
    changes: { add: 1, change: 0, remove: 0, operation: "apply" },
  })}`;
  const text = renderApplyReport(parseApplyLog(ok), { stack: "prod-stack", failed: false });
  expect(text.split("\n")[0]).toBe("### ✅ Applied: `prod-stack` — 1 added, 0 changed, 0 destroyed");
});

test("an apply that never started is still a report", () => {
  expect(renderApplyReport(parseApplyLog(""), { stack: "s", failed: true })).toContain(
    "0 resource change(s) were applied before it stopped, 0 failed.",
  );
});
