import { testEnvironments } from "../helpers/environments";
import { expectedFor } from "../helpers/expected";
import { countByType, resourcesOf, synthStack, type StackJson } from "../helpers/synth";

const staging = synthStack("staging-stack");
const production = synthStack("prod-stack");

// Which differences staging and production may have is not listed here: envs:diff explains every one
// by config (__tests__/parity/envs-diff.test.ts).

test("resource counts: the full workload, with alarms only in production", () => {
  const s = countByType(staging);
  const p = countByType(production);
  expect(s.aws_lambda_function).toBe(18);
  expect(s.aws_api_gateway_method).toBe(10);
  expect(s.aws_api_gateway_resource).toBe(11);
  expect(s.aws_sqs_queue).toBe(4);
  expect(s.aws_cloudfront_distribution).toBe(2);
  expect(s.aws_cloudwatch_metric_alarm).toBeUndefined();
  expect(p.aws_cloudwatch_metric_alarm).toBe(13);
  expect(s.aws_sns_topic).toBe(1);
  expect(p.aws_sns_topic).toBe(2);
  expect(s.aws_cloudwatch_dashboard).toBeUndefined();
  expect(p.aws_cloudwatch_dashboard).toBeUndefined();
  const aws = (counts: Record<string, number>) =>
    Object.entries(counts).reduce((sum, [type, n]) => sum + (type.startsWith("aws_") ? n : 0), 0);
  expect(aws(s)).toBeGreaterThan(200);
  expect(p.aws_sns_topic_subscription).toBe(1);
  expect(aws(p)).toBe(aws(s) + 15);
});

test("production protects its data stores; staging can be torn down", () => {
  const cluster = (json: StackJson) => resourcesOf(json, "aws_dsql_cluster")[0][1];
  const bucket = (json: StackJson) => resourcesOf(json, "aws_s3_bucket")[0][1];
  const table = (json: StackJson) => resourcesOf(json, "aws_dynamodb_table")[0][1];
  expect(cluster(production)).toMatchObject({
    deletion_protection_enabled: true,
    lifecycle: { prevent_destroy: true },
  });
  expect(bucket(production)).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
  expect(table(production)).toMatchObject({
    deletion_protection_enabled: true,
    lifecycle: { prevent_destroy: true },
  });
  expect(cluster(staging)).toMatchObject({
    deletion_protection_enabled: false,
    lifecycle: { prevent_destroy: false },
  });
  expect(bucket(staging)).toMatchObject({ force_destroy: true });
});

test("production pushes through APNS, staging through the sandbox", () => {
  const platform = (json: StackJson) => resourcesOf(json, "aws_sns_platform_application")[0][1].platform;
  expect(platform(production)).toBe("APNS");
  expect(platform(staging)).toBe("APNS_SANDBOX");
});

test("alarms: 13, prefixed, notify the alerts topic on ALARM and OK; depth gauges use Maximum", () => {
  const alarms = resourcesOf(production, "aws_cloudwatch_metric_alarm").map(([, a]) => a);
  for (const alarm of alarms) {
    expect(alarm.alarm_name).toMatch(/^prod-MediaDownloader-/);
    expect(alarm.comparison_operator).toBe("GreaterThanThreshold");
    expect(alarm.treat_missing_data).toBe("notBreaching");
    expect(alarm.alarm_actions).toEqual(alarm.ok_actions);
  }
  const dlq = alarms.filter((a) => a.metric_name === "ApproximateNumberOfMessagesVisible");
  expect(dlq).toHaveLength(2);
  for (const alarm of dlq) expect(alarm.statistic).toBe("Maximum");
  const background = alarms.find((a) => a.alarm_name === "prod-MediaDownloader-Lambda-Errors-Background")!;
  expect(JSON.stringify(background.metric_query)).not.toMatch(/CloudfrontMiddleware/);
});

test("every named resource carries the environment prefix", () => {
  const nameFields = ["name", "function_name", "bucket", "alarm_name", "layer_name", "dashboard_name"];
  for (const { name, stackId, config } of testEnvironments()) {
    const json = synthStack(stackId);
    const prefix = expectedFor(name)?.prefix ?? config.prefix;
    for (const [type, byId] of Object.entries(json.resource)) {
      for (const resource of Object.values(byId)) {
        for (const field of nameFields) {
          const value = resource[field];
          // Names computed from another resource's id (API Gateway's execution log group) are unique already.
          if (typeof value !== "string" || value.includes("${")) continue;
          if (
            type.startsWith("aws_s3_bucket_") ||
            type === "aws_s3_object_copy" ||
            type === "aws_iam_role_policy"
          )
            continue;
          if (type === "aws_s3_bucket_intelligent_tiering_configuration") continue;
          expect(`${type}.${field}=${value}`).toMatch(new RegExp(`(=|[-/_.])${prefix}([-/_.]|$)`));
        }
      }
    }
  }
});

test("no two environments share a prefix, a state key or a secrets file", () => {
  const envs = testEnvironments().map((e) => e.config);
  for (const pick of [
    (c: (typeof envs)[0]) => c.prefix,
    (c: (typeof envs)[0]) => c.backend.key,
    (c: (typeof envs)[0]) => c.secretsFile,
  ]) {
    expect(new Set(envs.map(pick)).size).toBe(envs.length);
  }
});
