import type { AttributeChange } from "./changes";

/**
 * Differences a refresh plan shows against moto 5.2.1 that real AWS would not: the emulator does not
 * return, or re-serializes, an attribute the provider then wants to set again. Each one is named by
 * resource type and attribute path; anything else in a refresh plan is a real finding. The gap table
 * in lib/emulator/README.md explains each.
 */
export interface Quirk {
  readonly type: string;
  /** Attribute path as attributeChanges reports it. */
  readonly path: RegExp;
  readonly reason: string;
  /** When set, the change is this quirk only if it holds for (before, after): a real difference on the same path is not. */
  readonly same?: (before: unknown, after: unknown) => boolean;
}

const withoutAccount = (v: unknown) => JSON.stringify(v)?.replace(/:\d{12}:layer:/g, ":ACCOUNT:layer:");

const sameJson = (a: unknown, b: unknown) => {
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

export const REFRESH_QUIRKS: readonly Quirk[] = [
  {
    type: "aws_cloudfront_distribution",
    path: /^(default_cache_behavior|ordered_cache_behavior)\.\d+\.lambda_function_association$/,
    reason: "moto does not return a distribution's Lambda@Edge associations",
  },
  {
    type: "aws_cloudfront_distribution",
    path: /^origin\.\d+\.origin_access_control_id$/,
    reason: "moto does not return an origin's OriginAccessControlId",
  },
  {
    type: "aws_cloudfront_distribution",
    path: /^viewer_certificate\.\d+\.ssl_support_method$/,
    reason: "moto returns SSLSupportMethod sni-only with the default certificate; AWS returns none",
  },
  {
    type: "aws_lambda_function",
    path: /^layers\.\d+$/,
    reason: "moto answers a public layer (ADOT, account 901920570463) with the emulated account's ARN",
    same: (before, after) => withoutAccount(before) === withoutAccount(after),
  },
  {
    type: "aws_sqs_queue",
    path: /^redrive_policy$/,
    reason: "moto re-serializes RedrivePolicy with spaces (the same JSON, another string)",
    same: sameJson,
  },
];

const typeOf = (address: string) =>
  /(?:^|\.)(aws_[a-z0-9_]+)\.[^.]+$/.exec(address.replace(/\[[^\]]*\]$/, ""))?.[1];

/** The quirk a change is, if it is one: an in-place update of a listed attribute. */
export function quirkOf(change: AttributeChange): Quirk | undefined {
  if (change.actions !== "update") return undefined;
  const type = typeOf(change.address);
  return REFRESH_QUIRKS.find(
    (q) => q.type === type && q.path.test(change.path) && (!q.same || q.same(change.before, change.after)),
  );
}

/** The changes that are not emulator quirks. */
export function realChanges(changes: readonly AttributeChange[]): AttributeChange[] {
  return changes.filter((c) => !quirkOf(c));
}

/**
 * What applying a quirk breaks in the emulator, so that the next plan recreates it: the provider updates
 * a queue (its re-serialized redrive policy) with SetQueueAttributes without `Policy`, which moto 5.2.1
 * takes as "no policy" and deletes the queue policy. AWS leaves an attribute that is not sent alone.
 */
export const APPLY_SIDE_EFFECTS: readonly {
  readonly type: string;
  readonly actions: string;
  readonly after: string;
  readonly reason: string;
}[] = [
  {
    type: "aws_sqs_queue_policy",
    actions: "create",
    after: "aws_sqs_queue",
    reason: "moto's SetQueueAttributes without Policy deletes the queue policy",
  },
];

/** The changes of a plan made after applying `applied` (earlier changes) that are neither quirks nor their side effects. */
export function realChangesAfter(
  changes: readonly AttributeChange[],
  applied: readonly AttributeChange[],
): AttributeChange[] {
  const appliedTypes = new Set(applied.filter((c) => quirkOf(c)).map((c) => typeOf(c.address)));
  return realChanges(changes).filter(
    (c) =>
      !APPLY_SIDE_EFFECTS.some(
        (e) =>
          e.type === typeOf(c.address) &&
          e.actions === c.actions &&
          c.path === "" &&
          appliedTypes.has(e.after),
      ),
  );
}

/**
 * Resource types moto 5.2.1 cannot create: a legacy state's instances of them are set aside by the
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
