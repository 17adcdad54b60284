import type { EnvironmentConfig } from "../../config";
import { testEnvironments } from "../helpers/environments";
import { expectedFor, type ExpectedEnvironment } from "../helpers/expected";
import { resourcesOf, synthStack } from "../helpers/synth";

/**
 * The per-environment settings of WORKLOAD.md section 1 and the configuration fields (docs/configuration.md), checked in the
 * synthesized stack against the values written in expected.ts. An environment expected.ts does not know
 * (one added since) is checked against its own config instead: then the point is the wiring, not the value.
 */
function fromConfig(config: EnvironmentConfig): ExpectedEnvironment {
  return {
    environment: config.environment,
    prefix: config.prefix,
    accountId: config.aws.accountId,
    region: config.aws.region,
    stateBucket: config.backend.bucket,
    stateKey: config.backend.key,
    logLevel: config.logLevel,
    logRetentionDays: config.logRetentionDays,
    stageName: config.api.stageName,
    throttle: config.api.throttle,
    dailyQuota: config.api.quota.limit,
    startFileUploadReservedConcurrency: config.download.reservedConcurrency,
    alarms: config.observability.alarms,
    dashboard: config.observability.dashboard,
    deletionProtection: config.deletionProtection,
    apnsPlatform: config.apns.platform,
    apnsHost: config.apns.host,
    secretsFile: config.secretsFile,
  };
}

describe.each(testEnvironments())("$stackId settings", ({ name, stackId, config }) => {
  const json = synthStack(stackId);
  const want = expectedFor(name) ?? fromConfig(config);
  const functions = resourcesOf(json, "aws_lambda_function").map(([, fn]) => fn);
  const fn = (base: string) => functions.find((f) => f.function_name === `${want.prefix}-${base}`)!;
  const variables = (base: string) =>
    (fn(base).environment as { variables: Record<string, string> }).variables;
  const regional = functions.filter((f) => f.environment);

  test(`${want.startFileUploadReservedConcurrency} reserved concurrent downloads (StartFileUpload)`, () => {
    expect(fn("StartFileUpload").reserved_concurrent_executions).toBe(
      want.startFileUploadReservedConcurrency,
    );
    const reserved = functions.filter((f) => f.reserved_concurrent_executions !== undefined);
    expect(reserved.map((f) => f.function_name)).toEqual([`${want.prefix}-StartFileUpload`]);
  });

  test(`the 17 regional functions log at ${want.logLevel} and name the environment ${want.environment}`, () => {
    expect(regional).toHaveLength(17);
    for (const f of regional) {
      const vars = (f.environment as { variables: Record<string, string> }).variables;
      expect([f.function_name, vars.LOG_LEVEL, vars.ENVIRONMENT]).toEqual([
        f.function_name,
        want.logLevel,
        want.environment,
      ]);
    }
  });

  test(`every function, role and queue is prefixed ${want.prefix}-`, () => {
    expect(functions).toHaveLength(18);
    for (const f of functions) expect(f.function_name).toMatch(new RegExp(`^${want.prefix}-[A-Z]`));
    for (const [, r] of resourcesOf(json, "aws_iam_role"))
      expect(r.name).toMatch(new RegExp(`^${want.prefix}-`));
    for (const [, q] of resourcesOf(json, "aws_sqs_queue"))
      expect(q.name).toMatch(new RegExp(`^${want.prefix}-`));
  });

  test(`usage plan: burst ${want.throttle.burstLimit}, rate ${want.throttle.rateLimit}, ${want.dailyQuota} requests a day`, () => {
    const [[, plan]] = resourcesOf(json, "aws_api_gateway_usage_plan");
    expect(plan.throttle_settings).toEqual({
      burst_limit: want.throttle.burstLimit,
      rate_limit: want.throttle.rateLimit,
    });
    expect(plan.quota_settings).toEqual({ limit: want.dailyQuota, period: "DAY" });
  });

  test(`stage ${want.stageName}: the stage, APPLICATION_URL and the CloudFront origin path agree`, () => {
    const [[, stage]] = resourcesOf(json, "aws_api_gateway_stage");
    expect(stage.stage_name).toBe(want.stageName);
    for (const base of ["LoginUser", "RegisterUser"]) {
      expect(variables(base).APPLICATION_URL).toMatch(
        new RegExp(`\\.execute-api\\.${want.region}\\.amazonaws\\.com/${want.stageName}$`),
      );
    }
    const origins = resourcesOf(json, "aws_cloudfront_distribution").flatMap(
      ([, d]) => d.origin as Array<Record<string, unknown>>,
    );
    expect(origins.filter((o) => o.custom_origin_config).map((o) => o.origin_path)).toEqual([
      `/${want.stageName}`,
    ]);
  });

  test(`alarms ${want.alarms ? "on: 13 and the alerts topic" : "off"}; dashboard ${want.dashboard ? "on" : "off"}`, () => {
    expect(resourcesOf(json, "aws_cloudwatch_metric_alarm")).toHaveLength(want.alarms ? 13 : 0);
    const topics = resourcesOf(json, "aws_sns_topic").map(([, t]) => t.name);
    expect(topics.includes(`${want.prefix}-media-downloader-operations-alerts`)).toBe(want.alarms);
    expect(resourcesOf(json, "aws_cloudwatch_dashboard")).toHaveLength(want.dashboard ? 1 : 0);
  });

  test(`pushes through ${want.apnsPlatform} at ${want.apnsHost}`, () => {
    const [[, app]] = resourcesOf(json, "aws_sns_platform_application");
    expect(app.platform).toBe(want.apnsPlatform);
    expect(variables("PruneDevices").APNS_HOST).toBe(want.apnsHost);
  });

  test(`deploys to account ${want.accountId} in ${want.region} (edge in us-east-1)`, () => {
    expect(json.provider.aws.map((p) => [p.region, p.allowed_account_ids])).toEqual([
      [want.region, [want.accountId]],
      ["us-east-1", [want.accountId]],
    ]);
  });
});
