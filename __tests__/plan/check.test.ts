import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkPlan, destructiveChanges, readPlanFile } from "../../lib/plan/check";
import { change, plan } from "./plan-fixtures";

/**
 * Unit cases on hand-made plans; the command is in check.cli.test.ts, the real offline plans are in
 * __tests__/stacks/adoption/adoption-plan.engine.test.ts.
 */

test("refuses delete and both replacement orders of stateful resources, naming reason and forcing attributes", () => {
  const p = plan(
    change("aws_s3_bucket.media", ["delete", "create"], {
      action_reason: "replace_because_cannot_update",
      replace_paths: [["bucket"]],
    }),
    change("aws_cloudfront_distribution.api", ["create", "delete"], {
      action_reason: "replace_because_cannot_update",
      replace_paths: [["origin", 0, "domain_name"]],
    }),
    change("aws_dynamodb_table.idempotency", ["delete"], {
      action_reason: "delete_because_no_resource_config",
    }),
  );
  expect(destructiveChanges(p)).toEqual([
    {
      address: "aws_s3_bucket.media",
      type: "aws_s3_bucket",
      action: "replace",
      reason:
        "replace_because_cannot_update; forced by bucket; aws_s3_bucket holds objects (media, state, artifacts)",
      refused: true,
    },
    {
      address: "aws_cloudfront_distribution.api",
      type: "aws_cloudfront_distribution",
      action: "replace (create before destroy)",
      reason:
        "replace_because_cannot_update; forced by origin[0].domain_name; aws_cloudfront_distribution its generated domain is what clients and DNS point at",
      refused: true,
    },
    {
      address: "aws_dynamodb_table.idempotency",
      type: "aws_dynamodb_table",
      action: "delete",
      reason: "delete_because_no_resource_config; aws_dynamodb_table holds items (idempotency records)",
      refused: true,
    },
  ]);
  const result = checkPlan(p);
  expect(result.ok).toBe(false);
  expect(result.lines.filter((l) => l.startsWith("refused: "))).toHaveLength(3);
});

test("lets stateless deletes and replaces through, and ignores data sources", () => {
  const p = plan(
    change("aws_lambda_permission.api", ["delete", "create"]),
    change("aws_iam_policy.old", ["delete"]),
    { ...change("aws_s3_bucket.lookup", ["read"]), mode: "data" },
  );
  expect(destructiveChanges(p)).toEqual([]);
  expect(checkPlan(p).ok).toBe(true);
});

test("reports forget of a stateful resource (OpenTofu/Terraform removed with destroy = false) without refusing it", () => {
  const p = plan(
    change("aws_sns_platform_application.legacy", ["forget"], {
      action_reason: "delete_because_no_resource_config",
    }),
    change("aws_sqs_queue.legacy", ["forget", "create"]),
  );
  const result = checkPlan(p);
  expect(result.ok).toBe(true);
  expect(result.lines).toEqual([
    "notice: aws_sns_platform_application.legacy: forget (delete_because_no_resource_config; removed from state, left in AWS unmanaged; aws_sns_platform_application holds every device endpoint registered with it)",
    "notice: aws_sqs_queue.legacy: forget (removed from state, left in AWS unmanaged; aws_sqs_queue holds messages in flight, including dead letters)",
    "plan:check passed: no stateful resource is deleted or replaced",
  ]);
});

test("an override names an exact refused address, prints an audit line and lets nothing else through", () => {
  const p = plan(change("aws_s3_bucket.media", ["delete"]), change("aws_sqs_queue.push", ["delete"]));
  const one = checkPlan(p, ["aws_s3_bucket.media"]);
  expect(one.ok).toBe(false);
  expect(one.lines).toContain(
    "audit: allowed by --allow: aws_s3_bucket.media: delete (aws_s3_bucket holds objects (media, state, artifacts))",
  );
  expect(one.lines.some((l) => l.startsWith("refused: aws_sqs_queue.push"))).toBe(true);
  expect(checkPlan(p, ["aws_s3_bucket.media", "aws_sqs_queue.push"]).ok).toBe(true);
});

test("an override naming an address not in the plan, or not refused, is one user error", () => {
  const p = plan(change("aws_s3_bucket.media", ["delete"]), change("aws_iam_role.fn", ["delete"]));
  expect(() => checkPlan(p, ["aws_s3_bucket.other"])).toThrow(
    /^--allow aws_s3_bucket\.other: no such address in the plan$/,
  );
  expect(() => checkPlan(p, ["aws_s3_bucket.med"])).toThrow(/no such address in the plan/);
  expect(() => checkPlan(p, ["aws_iam_role.fn"])).toThrow(
    /^--allow aws_iam_role\.fn: this address is in the plan but is not a delete or replace of a stateful resource$/,
  );
});

test("readPlanFile accepts a real plan shape", () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-read-"));
  writeFileSync(join(dir, "p.json"), JSON.stringify(plan()));
  expect(readPlanFile(join(dir, "p.json")).format_version).toBe("1.2");
});
