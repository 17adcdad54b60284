import type { StackJson } from "../engine/working-copy";
import { EMULATOR_ACCESS_KEY, EMULATOR_SECRET_KEY, assertLoopback, emulatorClientEnv } from "./server";

/**
 * Every service endpoint the stacks' resources call, by the provider's `endpoints` argument name
 * (hashicorp/aws 5.100.0 website/docs/guides/custom-service-endpoints.html.markdown). A stack that uses
 * a service missing here would reach real AWS, so `emulatorOverride` refuses a resource type it cannot
 * map (see SERVICE_OF_TYPE).
 */
export const ENDPOINT_SERVICES = [
  "apigateway",
  "cloudfront",
  "cloudwatch",
  "cloudwatchevents",
  "cloudwatchlogs",
  "dsql",
  "dynamodb",
  "iam",
  "kms",
  "lambda",
  "s3",
  "scheduler",
  "sns",
  "sqs",
  "sts",
] as const;

/** Resource type prefix → endpoint it calls. */
const SERVICE_OF_TYPE: readonly [RegExp, (typeof ENDPOINT_SERVICES)[number]][] = [
  [/^aws_api_gateway_/, "apigateway"],
  [/^aws_cloudfront_/, "cloudfront"],
  [/^aws_cloudwatch_log_/, "cloudwatchlogs"],
  [/^aws_cloudwatch_event_/, "cloudwatchevents"],
  [/^aws_cloudwatch_(metric_alarm|dashboard|composite_alarm)$/, "cloudwatch"],
  [/^aws_dsql_/, "dsql"],
  [/^aws_dynamodb_/, "dynamodb"],
  [/^aws_iam_/, "iam"],
  [/^aws_kms_/, "kms"],
  [/^aws_lambda_/, "lambda"],
  [/^aws_s3_/, "s3"],
  [/^aws_scheduler_/, "scheduler"],
  [/^aws_sns_/, "sns"],
  [/^aws_sqs_/, "sqs"],
];

/** The resource and data types of a stack that the override cannot point at the emulator. */
export function unmappedTypes(stack: StackJson): string[] {
  const types = [
    ...Object.keys((stack.resource as Record<string, unknown> | undefined) ?? {}),
    ...Object.keys(stack.data ?? {}),
  ].filter((t) => t.startsWith("aws_"));
  return types.filter((t) => !SERVICE_OF_TYPE.some(([pattern]) => pattern.test(t)));
}

function providerAliases(stack: StackJson): (string | undefined)[] {
  const configs = stack.provider?.aws;
  const list = Array.isArray(configs) ? configs : configs ? [configs] : [{}];
  return list.map((c) => {
    const alias = c && typeof c === "object" ? (c as { alias?: unknown }).alias : undefined;
    return typeof alias === "string" ? alias : undefined;
  });
}

/**
 * The emulator's quirks worked around in configuration (the gap table in README.md): resources moto
 * cannot create are removed, and what references them is rewritten to do without. Each entry returns
 * override blocks for the stack, or nothing when the stack has no such resource.
 */
function gapOverrides(stack: StackJson): Record<string, Record<string, unknown>> {
  const resources = (stack.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  const out: Record<string, Record<string, unknown>> = {};
  // moto 5.2.1 has no CloudFront response-headers-policy API: no policy, and the cache behaviours that
  // use one go without it (their other settings unchanged).
  const policies = Object.keys(resources.aws_cloudfront_response_headers_policy ?? {});
  if (policies.length > 0) {
    out.aws_cloudfront_response_headers_policy = Object.fromEntries(policies.map((n) => [n, { count: 0 }]));
    const uses = /\$\{aws_cloudfront_response_headers_policy\./;
    for (const [name, distribution] of Object.entries(resources.aws_cloudfront_distribution ?? {})) {
      const rewritten: Record<string, unknown> = {};
      for (const block of ["default_cache_behavior", "ordered_cache_behavior"]) {
        const value = distribution[block];
        if (value === undefined || !uses.test(JSON.stringify(value))) continue;
        const strip = (b: Record<string, unknown>) => {
          const copy = { ...b };
          if (
            typeof copy.response_headers_policy_id === "string" &&
            uses.test(copy.response_headers_policy_id)
          )
            delete copy.response_headers_policy_id;
          return copy;
        };
        rewritten[block] = Array.isArray(value) ? value.map(strip) : strip(value as Record<string, unknown>);
      }
      if (Object.keys(rewritten).length > 0) (out.aws_cloudfront_distribution ??= {})[name] = rewritten;
    }
  }
  return out;
}

export interface OverrideOptions {
  /** Provider retries: small, so an emulator error fails in seconds (the provider's default retries for minutes). */
  readonly maxRetries?: number;
}

/**
 * The override file that points every aws provider configuration (the default and each alias) at the
 * emulator: fake keys, every endpoint, path-style S3, a small retry budget; plus the gap workarounds.
 * Written beside the working copy's cdk.tf.json, which is never edited for the emulator.
 */
export function emulatorOverride(
  stack: StackJson,
  endpoint: string,
  options: OverrideOptions = {},
): Record<string, unknown> {
  assertLoopback(endpoint);
  const unmapped = unmappedTypes(stack);
  if (unmapped.length > 0)
    throw new Error(
      `no emulator endpoint for ${unmapped.join(", ")}: add its service to lib/emulator/override.ts`,
    );
  const endpoints = Object.fromEntries(ENDPOINT_SERVICES.map((service) => [service, endpoint]));
  const resource = gapOverrides(stack);
  return {
    "//": "Written by lib/emulator: the emulated account on loopback, fake keys. Never used to deploy.",
    provider: {
      aws: providerAliases(stack).map((alias) => ({
        ...(alias ? { alias } : {}),
        access_key: EMULATOR_ACCESS_KEY,
        secret_key: EMULATOR_SECRET_KEY,
        skip_credentials_validation: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
        s3_use_path_style: true,
        max_retries: options.maxRetries ?? 3,
        endpoints: [endpoints],
      })),
    },
    ...(Object.keys(resource).length > 0 ? { resource } : {}),
  };
}

/** Every URL an override sends requests to: each must be on loopback. */
export function overrideEndpoints(override: Record<string, unknown>): string[] {
  const aws = ((override.provider as Record<string, unknown> | undefined)?.aws ?? []) as Record<
    string,
    unknown
  >[];
  return aws.flatMap((config) =>
    ((config.endpoints ?? []) as Record<string, string>[]).flatMap((e) => Object.values(e)),
  );
}

export { EMULATOR_ACCESS_KEY, EMULATOR_SECRET_KEY, emulatorClientEnv };
