import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkPlan, destructiveChanges, readPlanFile } from "../../lib/plan/check";
import type { PlanAction, PlanJson, PlanResourceChange } from "../../lib/plan/plan-json";
import { AWS_PROVIDER_VERSION } from "../../stacks/requirements";
import { environments } from "../helpers/environments";

/** Unit cases on hand-made plans; the real offline plans are in __tests__/stacks/adoption/adoption-plan.engine.test.ts. */

function change(
  address: string,
  actions: PlanAction[],
  extra: Partial<PlanResourceChange> & { replace_paths?: (string | number)[][] } = {},
): PlanResourceChange {
  const [type, name] = address.split(".");
  const { replace_paths, ...rest } = extra;
  return { address, mode: "managed", type, name, change: { actions, replace_paths }, ...rest };
}

/** The first configured environment: the command's plans below are plans of its stack. */
const [first] = Object.values(environments());

/** An OpenTofu-shaped plan of `first`'s stack: no applyable, complete or deferred_changes; opentofu names. */
function plan(...changes: PlanResourceChange[]): PlanJson {
  return {
    format_version: "1.2",
    terraform_version: "1.10.0",
    resource_changes: changes.map((c) => ({ ...c, provider_name: "registry.opentofu.org/hashicorp/aws" })),
    configuration: {
      provider_config: {
        aws: {
          full_name: "registry.opentofu.org/hashicorp/aws",
          version_constraint: AWS_PROVIDER_VERSION,
          expressions: { default_tags: [{ tags: { constant_value: { Environment: first.environment } } }] },
        },
      },
    },
  };
}

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

describe("npm run plan:check (the command)", () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-check-"));
  const cli = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [
        "-r",
        require.resolve("../../lib/transpile/register.cjs"),
        join(__dirname, "..", "..", "scripts", "plan-check.ts"),
        ...args,
        ...(args[0]?.startsWith("--") ? [] : ["--stack", first.stack]),
      ],
      {
        encoding: "utf8",
        cwd: dir,
      },
    );
  const file = (name: string, content: string) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };

  test("exit 1 naming the refused address; exit 0 with the audit line when allowed", () => {
    const p = file("plan.json", JSON.stringify(plan(change("aws_dynamodb_table.t", ["delete"]))));
    const refused = cli(p);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^refused: aws_dynamodb_table\.t: delete /m);
    const allowed = cli(p, "--allow", "aws_dynamodb_table.t");
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toMatch(/^audit: allowed by --allow: aws_dynamodb_table\.t: delete /m);
  });

  test.each([
    [
      "not JSON",
      "{",
      /^error: .*bad\.json: not JSON \(expected the output of `terraform show -json <planfile>`\)\n$/,
    ],
    ["JSON that is not a plan", '{"version":4,"resources":[]}', /^error: .*bad\.json: not a plan /],
  ])("%s: one line, exit 1, nothing written", (_label, content, message) => {
    const p = file("bad.json", content);
    const before = readdirSync(dir).sort();
    const result = cli(p);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  test("a missing file, an unknown flag and an unknown --allow are one error each", () => {
    expect(cli(join(dir, "missing.json")).stderr).toMatch(/^error: .*missing\.json: cannot read the file\n$/);
    const flag = cli("--bogus");
    expect(flag.status).toBe(1);
    expect(flag.stderr).toMatch(/^error: Unknown option '--bogus'\nusage: npm run plan:check/);
    const p = file("plan2.json", JSON.stringify(plan(change("aws_dynamodb_table.t", ["delete"]))));
    expect(cli(p, "--allow", "aws_dynamodb_table.x").stderr).toBe(
      "error: --allow aws_dynamodb_table.x: no such address in the plan\n",
    );
  });
});

test("readPlanFile accepts a real plan shape", () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-read-"));
  writeFileSync(join(dir, "p.json"), JSON.stringify(plan()));
  expect(readPlanFile(join(dir, "p.json")).format_version).toBe("1.2");
});
