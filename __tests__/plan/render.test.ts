import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PlanJson, PlanResourceChange } from "../../lib/plan/plan-json";
import {
  GITHUB_COMMENT_LIMIT,
  countChanges,
  destructiveChanges,
  renderFailure,
  renderPlan,
} from "../../lib/plan/render";
import { secretAttributes, type SecretAttribute } from "../../lib/plan/secrets";
import { synthStack } from "../helpers/synth";

const FIXTURES = join(__dirname, "../fixtures/plans");
const load = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as PlanJson;

/**
 * state-plan.json: a real plan (make-state-plan.ts) of a local state against changed config.
 * preview-prod-plan.json: the offline preview's real plan of prod-stack, trimmed (trim-preview-plan.ts).
 */
const statePlan = load("state-plan.json");
const previewPlan = load("preview-prod-plan.json");

// make-state-plan.ts reads this secret from SOPS (substituted by a fake value) into these attributes.
const STATE_SECRETS: SecretAttribute[] = [
  { address: "aws_ssm_parameter.token", path: ["value"] },
  { address: "aws_lambda_function.fn", path: ["environment", "variables", "APNS_SIGNING_KEY"] },
];
const SECRETS_IN_STATE = ["real-parameter-secret-from-state", "real-lambda-secret-from-state"];

describe("the state-fixture plan (updates, replaces, deletes)", () => {
  const body = renderPlan(statePlan, {
    stack: "staging-stack",
    runUrl: "https://github.com/o/r/actions/runs/42",
    secrets: STATE_SECRETS,
  });

  test("the summary counts each action, as the engine planned them (3 to add, 3 to change, 4 to destroy)", () => {
    // terraform's own line for this plan: "Plan: 3 to add, 3 to change, 4 to destroy." (2 replaces
    // count as one add and one destroy each).
    expect(countChanges(statePlan)).toEqual({
      create: 1,
      update: 3,
      replace: 2,
      delete: 2,
      forget: 0,
      read: 0,
      secretsOnly: 0,
    });
    expect(body.split("\n")[0]).toBe(
      "### Plan: `staging-stack` — 1 to create, 3 to update, 2 to replace, 2 to delete",
    );
    expect(body).toContain("| `staging-stack` | 1 | 3 | 2 | 2 |");
  });

  test("lists every destructive change with its reason, data-holding types first and flagged", () => {
    expect(destructiveChanges(statePlan).map((d) => [d.kind, d.address, d.holds !== undefined])).toEqual([
      ["replace", "aws_dynamodb_table.table", true],
      ["delete", "aws_s3_bucket.old_media", true],
      ["replace", "aws_sqs_queue.queue", true],
      ["delete", "aws_iam_role.old_role", false],
    ]);
    expect(body).toContain("> [!CAUTION]\n> **4 destructive change(s), 3 to resources that hold data.**");
    expect(body).toContain(
      "- ⚠️ **replace** `aws_dynamodb_table.table` — **holds data**: holds items (idempotency records); forced by a change to `hash_key`",
    );
    expect(body).toContain(
      "- ⚠️ **delete** `aws_s3_bucket.old_media` — **holds data**: holds objects (media, state, artifacts); it is no longer in the configuration",
    );
    expect(body).toContain("- **delete** `aws_iam_role.old_role` — it is no longer in the configuration");
    // The summary comes before the collapsed details.
    expect(body.indexOf("[!CAUTION]")).toBeLessThan(body.indexOf("<details>"));
  });

  test("details show changed attributes, collapsed", () => {
    expect(body).toContain("<details><summary>Details: 8 resource change(s)</summary>");
    expect(body).toContain("- `retention_in_days`: <code>3</code> → <code>7</code>");
    expect(body).toContain(
      "- `environment[0].variables.LOG_LEVEL`: <code>&quot;DEBUG&quot;</code> → <code>&quot;INFO&quot;</code>",
    );
    expect(body).toContain(
      "- `name`: <code>&quot;stag-DownloadQueue&quot;</code> → <code>&quot;stag-DownloadQueue-v2&quot;</code>",
    );
  });

  test("never shows a secret: sensitive marks, secret-bearing attributes and fake values are masked", () => {
    for (const secret of [...SECRETS_IN_STATE, "FAKE-TEST-VALUE"]) expect(body).not.toContain(secret);
    expect(body).toContain(
      "- `environment[0].variables.APNS_SIGNING_KEY`: <code>(sensitive value)</code> → <code>(sensitive value)</code>",
    );
    expect(body).toContain("- `value`: <code>(sensitive value)</code> → <code>(sensitive value)</code>");
    // Even without the list of secret-bearing attributes, the engine's marks and the fake-value pattern hold.
    const bare = renderPlan(statePlan, { stack: "staging-stack" });
    for (const secret of [...SECRETS_IN_STATE, "FAKE-TEST-VALUE"]) expect(bare).not.toContain(secret);
  });

  test("with substituted secrets, their attributes are named as not compared and left out of the diff", () => {
    const substituted = renderPlan(statePlan, {
      stack: "prod-stack",
      secrets: STATE_SECRETS,
      substituted: true,
    });
    expect(substituted).toContain("Planned with **substituted secrets**");
    expect(substituted).toContain("- `aws_ssm_parameter.token.value`");
    expect(substituted).toContain("- `aws_lambda_function.fn.environment.variables.APNS_SIGNING_KEY`");
    expect(substituted).not.toContain("APNS_SIGNING_KEY`: ");
    expect(substituted).toContain("- `environment[0].variables.LOG_LEVEL`");
    for (const secret of [...SECRETS_IN_STATE, "FAKE-TEST-VALUE"]) expect(substituted).not.toContain(secret);
  });

  test("an update that changes only substituted secrets is not counted as an update", () => {
    const onlySecret: PlanJson = {
      format_version: "1.2",
      resource_changes: statePlan
        .resource_changes!.filter((c) => c.address === "aws_ssm_parameter.token")
        .map((c): PlanResourceChange => ({
          ...c,
          change: {
            ...c.change,
            // Everything as before except the (substituted) secret value.
            after: { ...(c.change.before as object), value: "FAKE-TEST-VALUE-apns.signingKey" },
            after_unknown: {},
          },
        })),
    };
    const counts = countChanges(onlySecret, { secrets: STATE_SECRETS, substituted: true });
    expect([counts.update, counts.secretsOnly]).toEqual([0, 1]);
    expect(countChanges(onlySecret, { secrets: STATE_SECRETS }).update).toBe(1);
  });
});

describe("the offline preview's real plan of prod-stack", () => {
  const secrets = secretAttributes(synthStack("prod-stack"));
  const body = renderPlan(previewPlan, { stack: "prod-stack", secrets, substituted: true });

  test("the secret-bearing attributes come from the synthesized stack's SOPS references", () => {
    const names = secrets.map((s) => `${s.address.split(".")[0]}.${s.path.join(".")}`);
    // WORKLOAD.md: the APNS credentials of the platform application, and the functions' secret variables.
    expect(names).toEqual(
      expect.arrayContaining([
        "aws_sns_platform_application.platform_credential",
        "aws_sns_platform_application.platform_principal",
        "aws_lambda_function.environment.variables.APNS_SIGNING_KEY",
        "aws_lambda_function.environment.variables.GITHUB_PERSONAL_TOKEN",
      ]),
    );
  });

  test("renders creates only, no destructive section, and never a fake secret", () => {
    const creates = previewPlan.resource_changes!.filter((c) => c.mode === "managed").length;
    expect(body.split("\n")[0]).toBe(
      `### Plan: \`prod-stack\` — ${creates} to create, 0 to update, 0 to replace, 0 to delete`,
    );
    expect(body).not.toContain("destructive");
    expect(body).not.toContain("FAKE-TEST-VALUE");
    expect(body).toContain(`- **+ create** \`${previewPlan.resource_changes![0].address}\``);
  });
});

describe("length", () => {
  // 3000 replaced queues: far more than a comment can hold.
  const template = statePlan.resource_changes!.find((c) => c.address === "aws_sqs_queue.queue")!;
  const huge: PlanJson = {
    format_version: "1.2",
    resource_changes: Array.from({ length: 3000 }, (_, i) => ({
      ...template,
      address: `aws_sqs_queue.q${i}`,
      name: `q${i}`,
    })),
  };

  test("stays within GitHub's comment limit, keeps the summary, and links to the run for the rest", () => {
    const body = renderPlan(huge, { stack: "prod-stack", runUrl: "https://github.com/o/r/actions/runs/42" });
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(body).toContain("| `prod-stack` | 0 | 0 | 3000 | 0 |");
    expect(body).toMatch(
      /… \d+ more destructive changes not shown .*\[the workflow run\]\(https:\/\/github.com\/o\/r\/actions\/runs\/42\)/,
    );
    expect(body).toMatch(/… \d+ more resource changes not shown/);
    expect(body.trimEnd().endsWith("they appear as `(sensitive value)`.")).toBe(true);
    expect(body).toContain("</details>");
  });

  test("a smaller limit (job summaries can take more, tests less) is honoured too", () => {
    expect(renderPlan(huge, { stack: "prod-stack", limit: 5000 }).length).toBeLessThanOrEqual(5000);
  });
});

test("a plan with no changes says so", () => {
  expect(
    renderPlan({ format_version: "1.2", resource_changes: [] }, { stack: "staging-stack" }).split("\n")[0],
  ).toBe("### Plan: `staging-stack` — no changes");
});

test("OpenTofu's forget is destructive but said for what it is", () => {
  const plan: PlanJson = {
    format_version: "1.2",
    resource_changes: [
      {
        address: "aws_s3_bucket.b",
        mode: "managed",
        type: "aws_s3_bucket",
        name: "b",
        change: { actions: ["forget"], before: {}, after: null },
      },
    ],
  };
  expect(destructiveChanges(plan)[0]).toMatchObject({
    kind: "forget",
    cause: expect.stringContaining("not destroyed"),
  });
  expect(renderPlan(plan, { stack: "s" })).toContain("1 to forget");
});

test("a failed plan links to the run and quotes nothing", () => {
  const body = renderFailure({ stack: "prod-stack", reason: "plan failed", runUrl: "https://x/runs/1" });
  expect(body).toContain("❌ plan failed");
  expect(body).toContain("[the workflow run](https://x/runs/1)");
});

test("an OpenTofu-shaped plan (forget, ephemeral open, registry.opentofu.org names) renders as planned", () => {
  const tofu = load("tofu-shaped-plan.json");
  expect(countChanges(tofu)).toMatchObject({ create: 4, update: 0, replace: 0, delete: 0, forget: 1 });
  const body = renderPlan(tofu, { stack: "staging-stack" });
  expect(body.split("\n")[0]).toBe(
    "### Plan: `staging-stack` — 4 to create, 0 to update, 0 to replace, 0 to delete, 1 to forget",
  );
  expect(body).toContain(
    "- ⚠️ **forget** `aws_dynamodb_table.media-downloader_idempotency-table_3B5EAB43` — **holds data**",
  );
  // An ephemeral resource is opened during the run and never stored: not a change.
  expect(body).not.toContain("ephemeral.");
});
