import type { EnvironmentConfig } from "../config";
import { Naming } from "../media-downloader/naming";
import { CONSTRUCT_TAG_KEYS, requiredTags } from "../policies/context";
import type { Statement } from "./policy-document";

/** Lambda@Edge functions (and their code bucket) live here, whatever the environment's own region. */
export const EDGE_REGION = "us-east-1";

/** The account that publishes the ADOT Lambda layers (media-downloader/functions/layers.ts). */
const ADOT_LAYER_ACCOUNT = "901920570463";

/**
 * Where a deploy permission applies. Name scopes carry the environment prefix in the ARN; the others are
 * resources AWS addresses by generated ids (scoped by tag or path where AWS allows it, see the reason).
 */
export type Scope =
  | "function"
  | "layer"
  | "publicLayer"
  | "eventSourceMapping"
  | "eventSourceMappingCreate"
  | "eventSourceMappingTagged"
  | "eventSourceMappingTagOnCreate"
  | "role"
  | "policy"
  | "logGroup"
  | "queue"
  | "table"
  | "bucket"
  | "object"
  | "topic"
  | "endpoint"
  | "eventBus"
  | "rule"
  | "alarm"
  | "dashboard"
  | "apigateway"
  | "distribution"
  | "distributionCreate"
  | "distributionTagOnCreate"
  | "cloudfrontConfig"
  | "cluster"
  | "clusterCreate"
  | "artifacts"
  | "account";

/** The scopes whose resource is `"*"`: their actions have no resource type AWS could scope. */
export const WILDCARD_SCOPES = ["eventSourceMappingCreate", "distributionCreate", "account"] as const;

/** Why a scope cannot carry the environment's name (shown with the wildcard exceptions). */
export const UNNAMED_SCOPE_REASONS: Partial<Record<Scope, string>> = {
  eventSourceMapping:
    "event source mappings are addressed by UUID; scoped by the lambda:FunctionArn condition",
  eventSourceMappingCreate:
    "CreateEventSourceMapping has no resource type; scoped by the lambda:FunctionArn condition",
  eventSourceMappingTagged:
    "the tag actions take no lambda:FunctionArn condition; scoped by the aws:ResourceTag/Environment condition",
  eventSourceMappingTagOnCreate:
    "a mapping created with tags is tagged before it has any; scoped by the request's tags on an untagged mapping",
  apigateway:
    "REST APIs, keys and usage plans are addressed by generated ids; scoped to the environment's regions and to the /restapis, /apikeys, /usageplans and /tags paths (never /account)",
  distribution:
    "distributions are addressed by generated ids; scoped by the aws:ResourceTag/Environment condition",
  distributionCreate:
    "CreateDistribution has no resource type; scoped by the aws:RequestTag/Environment condition",
  distributionTagOnCreate:
    "CreateDistributionWithTags tags a distribution that has no tags yet; scoped by the request's tags on an untagged distribution",
  cloudfrontConfig:
    "origin access controls and response headers policies are addressed by generated ids and take no tags; their create actions have no resource type",
  cluster:
    "DSQL clusters are addressed by generated ids; scoped by the aws:ResourceTag/Environment condition",
  clusterCreate: "a new cluster's id is generated; scoped by the request's tags on an untagged cluster",
  account: "the action has no resource type (AWS's service authorization reference)",
};

export interface ScopedResources {
  readonly resources: readonly string[];
  readonly conditions?: Statement["conditions"];
}

/** The regions an environment's stack deploys to: its own and the edge region. */
export function environmentRegions(config: EnvironmentConfig): string[] {
  return [...new Set([config.aws.region, EDGE_REGION])];
}

/** The tag keys every resource of the environment carries (the providers' default tags, policies/context.ts). */
export function environmentTagKeys(config: EnvironmentConfig): string[] {
  return Object.keys(requiredTags(config)).sort();
}

/**
 * The tag keys a create may carry: the environment's own and the ones constructs add (policies/context.ts).
 * A key missing here denies the create: the DSQL cluster's Name tag did, found by the emulated apply.
 */
export function creatableTagKeys(config: EnvironmentConfig): string[] {
  return [...new Set([...environmentTagKeys(config), ...CONSTRUCT_TAG_KEYS])].sort();
}

/** The ARNs (and conditions) of `scope` for one environment. */
export function scopeResources(scope: Scope, config: EnvironmentConfig): ScopedResources {
  const account = config.aws.accountId;
  const naming = new Naming(config.prefix);
  const name = naming.name("*");
  const regions = environmentRegions(config);
  const perRegion = (arn: (region: string) => string[]) => regions.flatMap(arn);
  const tagged = { StringEquals: { "aws:ResourceTag/Environment": config.environment } };
  const requestTagged = { StringEquals: { "aws:RequestTag/Environment": config.environment } };
  // Tagging at create: the request carries the environment's tags (and no others), and the resource has no
  // Environment tag yet. Without the Null test, the same grant would let a role retag another environment's
  // resource with its own environment and so take it over.
  const taggedOnCreate = {
    ...requestTagged,
    "ForAllValues:StringEquals": { "aws:TagKeys": creatableTagKeys(config) },
    Null: { "aws:ResourceTag/Environment": "true" },
  };
  const functionArn = {
    ArnLike: { "lambda:FunctionArn": perRegion((r) => [`arn:aws:lambda:${r}:${account}:function:${name}`]) },
  };
  switch (scope) {
    case "function":
      return { resources: perRegion((r) => [`arn:aws:lambda:${r}:${account}:function:${name}`]) };
    case "layer":
      return { resources: perRegion((r) => [`arn:aws:lambda:${r}:${account}:layer:${name}`]) };
    case "publicLayer":
      return { resources: perRegion((r) => [`arn:aws:lambda:${r}:${ADOT_LAYER_ACCOUNT}:layer:aws-otel-*`]) };
    case "eventSourceMapping":
      return {
        resources: perRegion((r) => [`arn:aws:lambda:${r}:${account}:event-source-mapping:*`]),
        conditions: functionArn,
      };
    case "eventSourceMappingCreate":
      return { resources: ["*"], conditions: functionArn };
    case "eventSourceMappingTagged":
      return {
        resources: perRegion((r) => [`arn:aws:lambda:${r}:${account}:event-source-mapping:*`]),
        conditions: tagged,
      };
    case "eventSourceMappingTagOnCreate":
      return {
        resources: perRegion((r) => [`arn:aws:lambda:${r}:${account}:event-source-mapping:*`]),
        conditions: taggedOnCreate,
      };
    case "role":
      return { resources: [`arn:aws:iam::${account}:role/${name}`] };
    case "policy":
      return { resources: [`arn:aws:iam::${account}:policy/${name}`] };
    case "logGroup":
      return {
        resources: perRegion((r) =>
          [
            `/aws/lambda/${name}`,
            `/aws/lambda/${EDGE_REGION}.${name}`,
            `sns/${r}/${account}/app/*/${name}`,
            `API-Gateway-Execution-Logs_*/${config.api.stageName}`,
          ].flatMap((group) => [
            `arn:aws:logs:${r}:${account}:log-group:${group}`,
            `arn:aws:logs:${r}:${account}:log-group:${group}:*`,
          ]),
        ),
      };
    case "queue":
      return { resources: perRegion((r) => [`arn:aws:sqs:${r}:${account}:${name}`]) };
    case "table":
      return { resources: perRegion((r) => [`arn:aws:dynamodb:${r}:${account}:table/${name}`]) };
    case "bucket":
      return { resources: [`arn:aws:s3:::${naming.globalName("*")}`] };
    case "object":
      return { resources: [`arn:aws:s3:::${naming.globalName("*")}/*`] };
    case "topic":
      return { resources: perRegion((r) => [`arn:aws:sns:${r}:${account}:${name}`]) };
    case "endpoint":
      return { resources: perRegion((r) => [`arn:aws:sns:${r}:${account}:endpoint/*/${name}/*`]) };
    case "eventBus":
      return { resources: perRegion((r) => [`arn:aws:events:${r}:${account}:event-bus/${name}`]) };
    case "rule":
      return { resources: perRegion((r) => [`arn:aws:events:${r}:${account}:rule/${name}`]) };
    case "alarm":
      return { resources: perRegion((r) => [`arn:aws:cloudwatch:${r}:${account}:alarm:${name}`]) };
    case "dashboard":
      return { resources: [`arn:aws:cloudwatch::${account}:dashboard/${name}`] };
    case "apigateway":
      return {
        resources: perRegion((r) =>
          [
            "/restapis",
            "/restapis/*",
            "/apikeys",
            "/apikeys/*",
            "/usageplans",
            "/usageplans/*",
            "/tags/*",
          ].map((path) => `arn:aws:apigateway:${r}::${path}`),
        ),
      };
    case "distribution":
      return { resources: [`arn:aws:cloudfront::${account}:distribution/*`], conditions: tagged };
    case "distributionCreate":
      return { resources: ["*"], conditions: requestTagged };
    case "distributionTagOnCreate":
      return { resources: [`arn:aws:cloudfront::${account}:distribution/*`], conditions: taggedOnCreate };
    case "cloudfrontConfig":
      return {
        resources: [
          `arn:aws:cloudfront::${account}:origin-access-control/*`,
          `arn:aws:cloudfront::${account}:response-headers-policy/*`,
        ],
      };
    case "cluster":
      return { resources: perRegion((r) => [`arn:aws:dsql:${r}:${account}:cluster/*`]), conditions: tagged };
    case "clusterCreate":
      return {
        resources: perRegion((r) => [`arn:aws:dsql:${r}:${account}:cluster/*`]),
        conditions: taggedOnCreate,
      };
    case "artifacts":
      return {
        resources: [
          `arn:aws:s3:::${config.artifacts.bucket}/releases/*`,
          `arn:aws:s3:::${config.artifacts.edgeBucket}/releases/*`,
        ],
      };
    case "account":
      return { resources: ["*"] };
  }
}
