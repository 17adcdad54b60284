import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../config";
import { permissionsBoundaryArn } from "../media-downloader/iam/permissions-boundary";
import { scopeResources, type Scope } from "./deploy-scopes";
import { policyJson, type Statement } from "./policy-document";

/**
 * What an environment's workload roles may ever do at run time (the actions media-downloader/ grants its
 * functions and service roles), each on that environment's own resources. A role the deploy role creates
 * carries this boundary, so no policy the deploy role writes reaches beyond it (no IAM, no other prefix).
 */
export const RUNTIME_PERMISSIONS: readonly { readonly scope: Scope; readonly actions: readonly string[] }[] =
  [
    {
      scope: "logGroup",
      actions: [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "logs:PutMetricFilter",
        "logs:PutRetentionPolicy",
      ],
    },
    {
      scope: "object",
      actions: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
    },
    { scope: "bucket", actions: ["s3:ListBucket", "s3:ListBucketMultipartUploads"] },
    {
      scope: "table",
      actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    },
    {
      scope: "queue",
      actions: [
        "sqs:SendMessage",
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueAttributes",
      ],
    },
    {
      scope: "topic",
      actions: ["sns:Publish", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Unsubscribe"],
    },
    { scope: "eventBus", actions: ["events:PutEvents"] },
    { scope: "function", actions: ["lambda:InvokeFunction"] },
    { scope: "cluster", actions: ["dsql:DbConnect", "dsql:DbConnectAdmin"] },
    { scope: "apigateway", actions: ["apigateway:GET"] },
    {
      scope: "account",
      actions: [
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "cloudwatch:PutMetricData",
        "sns:CreatePlatformEndpoint",
        "sns:DeleteEndpoint",
        // Publishing to a platform endpoint: endpoints are no SNS resource type (service reference), so
        // an endpoint ARN scope never matches (iam-validity); see media-downloader push-notifications.
        "sns:Publish",
      ],
    },
  ];

/** The boundary's statements for one environment. */
export function boundaryStatements(config: EnvironmentConfig): Statement[] {
  return RUNTIME_PERMISSIONS.map(({ scope, actions }) => {
    const { resources, conditions } = scopeResources(scope, config);
    return { sid: `Runtime${scope[0].toUpperCase()}${scope.slice(1)}`, actions, resources, conditions };
  });
}

export interface PermissionsBoundaryProps {
  readonly config: EnvironmentConfig;
}

/** The managed policy every role of one environment carries as its permissions boundary. */
export class PermissionsBoundary extends Construct {
  readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps) {
    super(scope, id);
    this.policy = new IamPolicy(this, "policy", {
      name: props.config.aws.permissionsBoundary,
      description: `Permissions boundary of every ${props.config.environment} workload role`,
      policy: JSON.stringify(policyJson(boundaryStatements(props.config))),
    });
  }

  /** The ARN the environment's roles name, known before apply (it is made from config). */
  static arnOf(config: EnvironmentConfig): string {
    return permissionsBoundaryArn(config.aws.accountId, config.aws.permissionsBoundary);
  }
}
