import { bootstrapWildcardActions } from "../bootstrap/wildcard-actions";

/**
 * The only actions an IAM policy may grant on `"Resource": "*"`, each with the reason. Keep this the one
 * place such exceptions are written: an action qualifies only when AWS offers no narrower resource.
 */
export const IAM_WILDCARD_RESOURCE_EXCEPTIONS: Readonly<Record<string, string>> = {
  // The bootstrap's deploy and plan roles: actions AWS documents with no resource type (with reasons).
  ...bootstrapWildcardActions(),
  "xray:PutTraceSegments": "X-Ray has no resource-level permissions for sending trace segments",
  "xray:PutTelemetryRecords": "X-Ray has no resource-level permissions for telemetry records",
  "xray:GetSamplingRules": "X-Ray sampling rules are read account-wide by the tracing SDK",
  "xray:GetSamplingTargets": "X-Ray sampling targets are read account-wide by the tracing SDK",
  "sns:CreatePlatformEndpoint": "SNS supports no resource-level permissions for creating platform endpoints",
  "sns:Unsubscribe":
    "SNS supports no resource-level permissions for Unsubscribe (subscriptions are not a resource type)",
  "cloudwatch:PutMetricData":
    "CloudWatch metrics have no resource ARNs; scope with the cloudwatch:namespace condition key",
};
