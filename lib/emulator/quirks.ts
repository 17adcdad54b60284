import type { AttributeChange } from "./changes";

/**
 * What moto 5.2.1 does differently from AWS that a plan against it shows: the one list of them. A refresh
 * plan against the emulator may change these and nothing else; each entry names the resource type, the
 * attribute path (as lib/emulator/changes.ts writes it) and, where it can, what the change must look like
 * to be this quirk and not a real difference. Found by applying the stacks (../shared/EMULATOR.md).
 */
export interface RefreshQuirk {
  readonly type: string;
  /** The attribute path, dotted with list indices (`viewer_certificate.0.ssl_support_method`). */
  readonly path: RegExp;
  readonly reason: string;
  /** When set, the change is this quirk only if it holds (before, after). */
  readonly same?: (before: unknown, after: unknown) => boolean;
}

const EDGE = /^(default_cache_behavior|ordered_cache_behavior)\.\d+\.lambda_function_association(\.|$)/;

const withoutAccount = (v: unknown) => JSON.stringify(v)?.replace(/:\d{12}:layer:/g, ":ACCOUNT:layer:");

const parsedEqual = (a: unknown, b: unknown) => {
  try {
    return (
      typeof a === "string" &&
      typeof b === "string" &&
      JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b))
    );
  } catch {
    return false;
  }
};

export const REFRESH_QUIRKS: readonly RefreshQuirk[] = [
  {
    type: "aws_cloudfront_distribution",
    path: EDGE,
    reason: "moto 5.2.1 does not return a cache behaviour's Lambda@Edge associations",
  },
  {
    type: "aws_cloudfront_distribution",
    path: /^origin\.\d+\.origin_access_control_id$/,
    reason: "moto 5.2.1 does not return an origin's origin access control id",
  },
  {
    type: "aws_cloudfront_distribution",
    path: /^viewer_certificate\.\d+\.ssl_support_method$/,
    reason: "moto 5.2.1 returns an SSL support method with the default certificate (AWS returns none)",
  },
  {
    type: "aws_lambda_function",
    path: /^layers(\.\d+)?$/,
    reason:
      "moto 5.2.1 answers a public layer (ADOT, AWS's account) with a version in its own account; the layer name and version are the same",
    same: (before, after) => withoutAccount(before) === withoutAccount(after),
  },
  {
    type: "aws_sqs_queue",
    path: /^redrive_policy$/,
    reason: "moto 5.2.1 re-serializes the redrive policy with spaces; the JSON is the same",
    same: parsedEqual,
  },
];

/**
 * Resource types the emulator cannot create: a legacy state's instances of them are set aside by the
 * rehearsal (lib/rehearse), and the stacks' own are overridden away (lib/emulator/override.ts).
 */
export const UNCREATABLE_TYPES: readonly { readonly type: string; readonly reason: string }[] = [
  {
    type: "aws_cloudfront_response_headers_policy",
    reason: "moto 5.2.1 has no CloudFront response-headers-policy API: not created in the emulator",
  },
  {
    type: "aws_s3_bucket_intelligent_tiering_configuration",
    reason:
      "moto 5.2.1 refuses PutBucketIntelligentTieringConfiguration on a us-west-2 bucket (IllegalLocationConstraintException): not created in the emulator",
  },
];

/**
 * Resource types whose tags moto 5.2.1 cannot change after create (the tags given at create are kept): a
 * plan that updates them in place fails to apply. The rehearsal ignores tag changes on these types (and
 * says so); AWS applies them.
 */
export const TAG_UPDATE_GAPS: readonly { readonly type: string; readonly reason: string }[] = [
  ...[
    "aws_api_gateway_rest_api",
    "aws_api_gateway_api_key",
    "aws_api_gateway_usage_plan",
    "aws_api_gateway_stage",
  ].map((type) => ({ type, reason: "moto 5.2.1 answers API Gateway TagResource with 404 (no such route)" })),
  { type: "aws_dsql_cluster", reason: "moto 5.2.1 answers DSQL TagResource with 500" },
];

/**
 * An override that leaves tag changes alone on the TAG_UPDATE_GAPS types of a stack (lifecycle blocks of
 * an override file merge argument by argument, so the stack's own prevent_destroy stays).
 */
export function tagGapOverride(
  resources: Record<string, Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const resource: Record<string, Record<string, unknown>> = {};
  for (const gap of TAG_UPDATE_GAPS)
    for (const name of Object.keys(resources?.[gap.type] ?? {}))
      (resource[gap.type] ??= {})[name] = { lifecycle: { ignore_changes: ["tags", "tags_all"] } };
  return Object.keys(resource).length > 0 ? { resource } : {};
}

/** The resource type of an address (`module.x.type.name[key]` → `type`). */
export function addressType(address: string): string {
  const parts = address.replace(/\[[^\]]*\]$/, "").split(".");
  return parts[parts.length - 2] ?? "";
}

/** The quirk a change is, or undefined when it is a real difference. */
export function quirkOf(change: AttributeChange): RefreshQuirk | undefined {
  if (change.actions !== "update") return undefined;
  const type = addressType(change.address);
  return REFRESH_QUIRKS.find(
    (q) => q.type === type && q.path.test(change.path) && (!q.same || q.same(change.before, change.after)),
  );
}
