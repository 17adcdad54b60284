import { checkPlan, planViews } from "../../policies/plan";
import type { PolicyContext } from "../../policies";
import { PRODUCTION, STAGING, tagsFor } from "./fixture";

interface Change {
  type: string;
  name: string;
  after: Record<string, unknown>;
  afterUnknown?: Record<string, unknown>;
  /** Configuration expressions, as `terraform show -json` records them. */
  expressions?: Record<string, unknown>;
  mode?: "managed" | "data";
  actions?: string[];
}

/** A hand-made `terraform show -json` document with the parts the plan checks read. */
function planOf(changes: Change[], providerTags: Record<string, string> | null = tagsFor(PRODUCTION)) {
  const tagsExpression = providerTags ? { default_tags: [{ tags: { constant_value: providerTags } }] } : {};
  return {
    format_version: "1.2",
    configuration: {
      provider_config: {
        aws: { name: "aws", full_name: "registry.terraform.io/hashicorp/aws", expressions: tagsExpression },
      },
      root_module: {
        resources: changes.map((c) => ({
          address: `${c.mode === "data" ? "data." : ""}${c.type}.${c.name}`,
          mode: c.mode ?? "managed",
          type: c.type,
          name: c.name,
          provider_config_key: "aws",
          expressions: c.expressions ?? {},
        })),
      },
    },
    resource_changes: changes.map((c) => ({
      address: `${c.mode === "data" ? "data." : ""}${c.type}.${c.name}`,
      mode: c.mode ?? "managed",
      type: c.type,
      name: c.name,
      change: {
        actions: c.actions ?? ["create"],
        before: null,
        after: c.after,
        after_unknown: c.afterUnknown ?? {},
      },
    })),
  };
}

/** The configuration the plan was made from, for lifecycle.prevent_destroy. */
function configurationOf(preventDestroy: Record<string, boolean>) {
  const resource: Record<string, Record<string, unknown>> = {};
  for (const [address, flag] of Object.entries(preventDestroy)) {
    const [type, name] = address.split(".");
    resource[type] ??= {};
    resource[type][name] = { lifecycle: { prevent_destroy: flag } };
  }
  return { resource };
}

function check(changes: Change[], context: PolicyContext = PRODUCTION, configuration?: unknown) {
  return checkPlan(planOf(changes), { context, configuration }).map((v) => [v.ruleId, v.path, v.detail]);
}

const tagged = (context: PolicyContext = PRODUCTION) => ({ tags: null, tags_all: tagsFor(context) });

describe("plan policies (show -json)", () => {
  test("a compliant plan passes", () => {
    const changes: Change[] = [
      { type: "aws_sqs_queue", name: "q", after: { name: "prod-q", ...tagged() } },
      {
        type: "aws_cloudwatch_log_group",
        name: "lg",
        after: { name: "/aws/lambda/prod-fn", retention_in_days: 7, ...tagged() },
      },
      {
        type: "aws_dynamodb_table",
        name: "t",
        after: { name: "prod-t", deletion_protection_enabled: true, ...tagged() },
      },
      {
        type: "aws_iam_role_policy",
        name: "p",
        after: { name: "permissions" },
        afterUnknown: { policy: true, role: true, id: true },
        expressions: {
          policy: {
            constant_value:
              '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = ["logs:PutLogEvents"], "Resource" = ["${aws_cloudwatch_log_group.lg.arn}:*"]}]})}',
            references: ["aws_cloudwatch_log_group.lg.arn", "aws_cloudwatch_log_group.lg"],
          },
        },
      },
      {
        type: "aws_lambda_permission",
        name: "s3",
        after: { action: "lambda:InvokeFunction", principal: "s3.amazonaws.com" },
        afterUnknown: { source_arn: true },
      },
    ];
    expect(check(changes, PRODUCTION, configurationOf({ "aws_dynamodb_table.t": true }))).toEqual([]);
  });

  test("required-tags: tags_all without ManagedBy, with a wrong Environment, and a provider without default tags", () => {
    expect(
      check([
        {
          type: "aws_sqs_queue",
          name: "q",
          after: { name: "prod-q", tags_all: { Environment: "production", Project: "media-downloader" } },
        },
        {
          type: "aws_sns_topic",
          name: "t",
          after: { name: "prod-t", tags_all: { ...tagsFor(PRODUCTION), Environment: "staging" } },
        },
        // No tags_all: the type does not support tags.
        {
          type: "aws_iam_role_policy_attachment",
          name: "a",
          after: { policy_arn: "arn:aws:iam::aws:policy/x" },
        },
      ]),
    ).toEqual([
      ["required-tags", "aws_sqs_queue.q", "tags_all lacks ManagedBy"],
      ["required-tags", "aws_sns_topic.t", 'tags_all.Environment is "staging", expected "production"'],
    ]);
    const untagged = checkPlan(planOf([], null), { context: PRODUCTION });
    expect(untagged.map((v) => [v.ruleId, v.path, v.detail])).toEqual([
      ["required-tags", "provider.aws", "provider has no default_tags"],
    ]);
  });

  test("required-tags: unknown tags_all falls back to the provider's default tags and the resource's own", () => {
    expect(
      check([
        {
          type: "aws_sqs_queue",
          name: "q",
          after: { name: "prod-q", tags: { Name: "q" } },
          afterUnknown: { tags_all: true },
        },
        {
          type: "aws_sns_topic",
          name: "t",
          after: { name: "prod-t", tags: { Project: "x" } },
          afterUnknown: { tags_all: true },
        },
      ]),
    ).toEqual([["required-tags", "aws_sns_topic.t", 'tags.Project overrides "media-downloader" with "x"']]);
  });

  test("name-prefix: a planned name without the prefix", () => {
    expect(
      check([
        { type: "aws_lambda_function", name: "f", after: { function_name: "Download", ...tagged() } },
        {
          type: "aws_s3_bucket",
          name: "b",
          after: { bucket: "lifegames-prod-media", force_destroy: false, ...tagged() },
        },
        { type: "aws_iam_role_policy", name: "p", after: { name: "permissions", policy: "{}" } },
      ]),
    ).toEqual([["name-prefix", "aws_lambda_function.f", 'function_name "Download" lacks the prefix "prod"']]);
  });

  test("data-protection: production stores without deletion protection or prevent_destroy, buckets with force_destroy", () => {
    const changes: Change[] = [
      { type: "aws_dsql_cluster", name: "c", after: { deletion_protection_enabled: false, ...tagged() } },
      {
        type: "aws_s3_bucket",
        name: "b",
        after: { bucket: "lifegames-prod-media", force_destroy: true, ...tagged() },
      },
      {
        type: "aws_dynamodb_table",
        name: "t",
        after: { name: "prod-t", deletion_protection_enabled: true, ...tagged() },
      },
    ];
    const configuration = configurationOf({
      "aws_dsql_cluster.c": true,
      "aws_s3_bucket.b": true,
      "aws_dynamodb_table.t": false,
    });
    expect(check(changes, PRODUCTION, configuration)).toEqual([
      ["data-protection", "aws_dsql_cluster.c", "deletion_protection_enabled is false"],
      ["data-protection", "aws_s3_bucket.b", "force_destroy is true"],
      ["data-protection", "aws_dynamodb_table.t", "lifecycle.prevent_destroy is not set"],
    ]);
    const staging = changes.map((c) => ({ ...c, after: { ...c.after, ...tagged(STAGING) } }));
    const stagingFindings = check(staging, { ...STAGING, prefix: "prod" }, configuration);
    expect(stagingFindings.filter(([rule]) => rule === "data-protection")).toEqual([]);
  });

  test("log-retention: a log group planned without retention", () => {
    expect(
      check([
        {
          type: "aws_cloudwatch_log_group",
          name: "lg",
          after: { name: "/aws/lambda/prod-f", retention_in_days: 0, ...tagged() },
        },
      ]),
    ).toEqual([["log-retention", "aws_cloudwatch_log_group.lg", "retention_in_days is 0"]]);
  });

  test("iam-least-privilege: known JSON policies and unknown ones read from their jsonencode expression", () => {
    const known = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:*"], Resource: "arn:aws:s3:::b/*" }],
    });
    expect(
      check([
        { type: "aws_iam_policy", name: "known", after: { name: "prod-p", policy: known, ...tagged() } },
        {
          type: "aws_iam_role_policy",
          name: "unknown",
          after: { name: "permissions" },
          afterUnknown: { policy: true },
          expressions: {
            policy: {
              constant_value:
                '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = ["sns:Subscribe", "xray:PutTraceSegments"], "Resource" = "*"}]})}',
              references: [],
            },
          },
        },
      ]),
    ).toEqual([
      ["iam-least-privilege", "aws_iam_policy.known", 'policy statement 0: action "s3:*"'],
      [
        "iam-least-privilege",
        "aws_iam_role_policy.unknown",
        'policy statement 0: resource "*" for "sns:Subscribe"',
      ],
    ]);
  });

  test("lambda-permission-source: a permission planned without source_arn", () => {
    expect(
      check([
        {
          type: "aws_lambda_permission",
          name: "p",
          after: { principal: "sns.amazonaws.com", source_arn: null },
        },
      ]),
    ).toEqual([["lambda-permission-source", "aws_lambda_permission.p", "source_arn is not set"]]);
  });

  test("resources the plan deletes are not judged; data sources are", () => {
    const views = planViews(
      planOf([
        { type: "aws_sqs_queue", name: "gone", after: {}, actions: ["delete"] },
        { type: "aws_iam_policy_document", name: "d", mode: "data", after: { statement: [] } },
      ]),
    );
    expect(views.map((v) => [v.kind, v.path])).toEqual([
      ["provider", "provider.aws"],
      ["data", "data.aws_iam_policy_document.d"],
    ]);
  });
});
