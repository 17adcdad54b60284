import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkPlan } from "../../policies/plan";
import { summarizePlan, type PlanJson } from "../../lib/engine/summary";
import { report } from "../../lib/engine/report";
import type { PreviewRun } from "../../lib/engine";

/**
 * The plan side under OpenTofu. The fixture is derived from a real `terraform show -json` of staging-stack
 * (Terraform 1.11.4, `npm run preview`): five of its resource changes and their configuration, changed the
 * way OpenTofu 1.11 writes a plan (internal/command/jsonplan/plan.go): provider names and full_name under
 * registry.opentofu.org, no `applyable`/`complete`/`deferred_changes`, terraform_version 1.11.14, the
 * DynamoDB table planned as `forget` (a `removed` block with destroy = false) and one ephemeral resource
 * planned as `open`.
 */
const fixture = JSON.parse(
  readFileSync(join(__dirname, "..", "fixtures", "plans", "tofu-shaped-plan.json"), "utf8"),
) as PlanJson;
const STAGING = { environment: "staging", prefix: "stag", deletionProtection: false };
const TABLE = "aws_dynamodb_table.media-downloader_idempotency-table_3B5EAB43";
const LOG_GROUP =
  "aws_cloudwatch_log_group.media-downloader_functions_ApiGatewayAuthorizer_log-group_914BBD32";

test("the fixture is shaped as OpenTofu writes it", () => {
  const text = JSON.stringify(fixture);
  expect(text).not.toContain("registry.terraform.io");
  for (const key of ["applyable", "complete", "deferred_changes"]) expect(key in fixture).toBe(false);
  expect(fixture.resource_changes?.map((rc) => rc.change.actions.join(","))).toEqual([
    "create",
    "forget",
    "create",
    "create",
    "create",
    "open",
  ]);
});

test("the summary counts forget and open, and names what is forgotten", () => {
  const summary = summarizePlan(fixture);
  expect(summary.resources).toBe(5);
  expect(summary.ephemeral).toBe(1);
  expect(summary.byAction).toEqual({
    create: 4,
    update: 0,
    replace: 0,
    delete: 0,
    forget: 1,
    read: 0,
    open: 1,
    "no-op": 0,
  });
  expect(summary.forgotten).toEqual([{ address: TABLE, type: "aws_dynamodb_table" }]);
  expect(summary.byType["ephemeral.aws_secretsmanager_secret_version"]).toEqual({ open: 1 });
});

test("the report says a forgotten stateful resource stays in AWS, unmanaged", () => {
  const run = {
    engine: { kind: "tofu", path: "/usr/bin/tofu", version: "1.11.14", host: "registry.opentofu.org" },
    installs: [],
    stacks: [
      {
        stack: "staging-stack",
        dir: "/x",
        planFile: "/x/plan.json",
        planJson: fixture,
        summary: summarizePlan(fixture),
        violations: [],
        fakeSecretKeys: [],
        timings: { prepare: 0, plan: 0, show: 0, policies: 0 },
      },
    ],
    timings: { synth: 0, install: 0, total: 0 },
  } as PreviewRun;
  const lines = report(run).text.split("\n");
  expect(lines[0]).toBe(
    "staging-stack: 5 resources: 4 to create, 0 to update, 0 to replace, 0 to delete, 1 to forget, 1 ephemeral to open",
  );
  expect(lines).toContain(
    `  forget ${TABLE}: removed from state, left in AWS and no longer managed (stateful: holds items (idempotency records))`,
  );
});

test("the plan policies judge an OpenTofu plan: clean as planned, and they still catch a violation", () => {
  expect(checkPlan(fixture, { context: STAGING })).toEqual([]);
  const broken = structuredClone(fixture) as unknown as {
    resource_changes: { address: string; change: { after: Record<string, unknown> } }[];
  };
  broken.resource_changes.find((rc) => rc.address === LOG_GROUP)!.change.after.retention_in_days = 0;
  expect(checkPlan(broken, { context: STAGING }).map((v) => [v.ruleId, v.path])).toEqual([
    ["log-retention", LOG_GROUP],
  ]);
});
