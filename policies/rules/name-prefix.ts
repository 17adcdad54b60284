import { hasInterpolation, literalParts } from "../hcl";
import { COMPLIANT, NOT_APPLICABLE, nonCompliant, type PolicyRule, type ResourceView } from "../types";

/** Attributes that name an account-level (or global) resource, by type. */
export const NAME_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_api_gateway_api_key: ["name"],
  aws_api_gateway_rest_api: ["name"],
  aws_api_gateway_usage_plan: ["name"],
  aws_apigatewayv2_api: ["name"],
  aws_cloudfront_cache_policy: ["name"],
  aws_cloudfront_function: ["name"],
  aws_cloudfront_key_group: ["name"],
  aws_cloudfront_key_value_store: ["name"],
  aws_cloudfront_origin_access_control: ["name"],
  aws_cloudfront_origin_request_policy: ["name"],
  aws_cloudfront_public_key: ["name", "name_prefix"],
  aws_cloudfront_response_headers_policy: ["name"],
  aws_cloudwatch_composite_alarm: ["alarm_name"],
  aws_cloudwatch_dashboard: ["dashboard_name"],
  aws_cloudwatch_event_bus: ["name"],
  aws_cloudwatch_event_rule: ["name", "name_prefix"],
  aws_cloudwatch_log_group: ["name", "name_prefix"],
  aws_cloudwatch_metric_alarm: ["alarm_name"],
  aws_dynamodb_table: ["name"],
  aws_iam_group: ["name"],
  aws_iam_instance_profile: ["name", "name_prefix"],
  aws_iam_policy: ["name", "name_prefix"],
  aws_iam_role: ["name", "name_prefix"],
  aws_iam_user: ["name"],
  aws_kms_alias: ["name", "name_prefix"],
  aws_lambda_function: ["function_name"],
  aws_lambda_layer_version: ["layer_name"],
  aws_s3_bucket: ["bucket", "bucket_prefix"],
  aws_scheduler_schedule: ["name", "name_prefix"],
  aws_scheduler_schedule_group: ["name", "name_prefix"],
  aws_secretsmanager_secret: ["name", "name_prefix"],
  aws_sfn_state_machine: ["name", "name_prefix"],
  aws_sns_platform_application: ["name"],
  aws_sns_topic: ["name", "name_prefix"],
  aws_sqs_queue: ["name", "name_prefix"],
  aws_ssm_parameter: ["name"],
  aws_xray_group: ["group_name"],
  aws_xray_sampling_rule: ["rule_name"],
};

/**
 * Types whose `name` only has to be unique inside a parent (a role's inline policy, a bucket's tiering
 * configuration, an API's authorizer); every other AWS type with a `name` is checked.
 */
export const SCOPED_NAME_TYPES: ReadonlySet<string> = new Set([
  "aws_api_gateway_authorizer",
  "aws_api_gateway_documentation_part",
  "aws_api_gateway_model",
  "aws_api_gateway_request_validator",
  "aws_appautoscaling_policy",
  "aws_cloudwatch_log_metric_filter",
  "aws_cloudwatch_log_stream",
  "aws_cloudwatch_log_subscription_filter",
  "aws_iam_group_policy",
  "aws_iam_role_policy",
  "aws_iam_user_policy",
  "aws_lambda_alias",
  "aws_s3_bucket_analytics_configuration",
  "aws_s3_bucket_intelligent_tiering_configuration",
  "aws_s3_bucket_inventory",
  "aws_s3_bucket_metric",
]);

/** The attributes of `type` that carry an account-level name. */
export function nameAttributes(type: string): readonly string[] {
  if (NAME_ATTRIBUTES[type]) return NAME_ATTRIBUTES[type];
  if (!type.startsWith("aws_") || SCOPED_NAME_TYPES.has(type)) return [];
  return ["name", "name_prefix"];
}

/**
 * true: `prefix` is a token of a `/`-separated path segment, tokens being separated by `-` (or `.`, for
 * names AWS composes such as Lambda@Edge's `/aws/lambda/us-east-1.<function>`); false: it is not;
 * undefined: cannot tell before apply (the name holds a reference and no literal prefix token).
 */
export function carriesPrefix(name: string, prefix: string): boolean | undefined {
  const literal = literalParts(name, "\u0000");
  const found = literal.split("/").some((segment) => segment.split(/[-.]/).includes(prefix));
  if (found) return true;
  return hasInterpolation(name) ? undefined : false;
}

/** Names: every named resource carries the environment prefix, so environments can share an account. */
export const namePrefixRule: PolicyRule = {
  id: "name-prefix",
  reason: "named resources carry the environment prefix as a '-'-separated token or path segment",
  evaluate(resource: ResourceView, context) {
    if (resource.kind !== "resource") return NOT_APPLICABLE;
    const problems: string[] = [];
    let checked = false;
    for (const attribute of nameAttributes(resource.type)) {
      const value = resource.values[attribute];
      if (typeof value !== "string" || value === "" || resource.unknown.has(attribute)) continue;
      const verdict = carriesPrefix(value, context.prefix);
      if (verdict === undefined) continue;
      checked = true;
      if (!verdict)
        problems.push(`${attribute} ${JSON.stringify(value)} lacks the prefix "${context.prefix}"`);
    }
    if (problems.length > 0) return nonCompliant(problems.join("; "));
    return checked ? COMPLIANT : NOT_APPLICABLE;
  },
};
