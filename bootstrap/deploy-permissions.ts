import type { EnvironmentConfig } from "../config";
import { environmentRegions, scopeResources, type Scope } from "./deploy-scopes";
import { bootstrapNames } from "./names";
import type { Statement } from "./policy-document";
import { RESOURCE_PERMISSIONS, grantActions } from "./resource-permissions";

/** What the deploy and plan policies of one environment are built from. */
export interface EnvironmentPermissionsInput {
  readonly config: EnvironmentConfig;
  /** The Terraform resource types of the environment's synthesized stack. */
  readonly resourceTypes: readonly string[];
  /** The account's state bucket and its region. */
  readonly stateBucket: string;
  readonly stateRegion: string;
  /** The permissions boundary's ARN (bootstrap/permissions-boundary.ts). */
  readonly boundaryArn: string;
  /** First token of the bootstrap's own names: never the deploy roles' to change. */
  readonly bootstrapNamePrefix: string;
  /** Which environments' passes each environment needs (config/releases.ts PROMOTION). */
  readonly promotion: Readonly<Record<string, readonly string[]>>;
}

/** A resource type with no row in the permissions table. */
export class MissingPermissionsError extends Error {
  constructor(stackId: string, types: readonly string[]) {
    super(
      `${stackId}: no deploy permissions for resource type(s) ${types.join(", ")}: add a row to bootstrap/resource-permissions.ts`,
    );
    this.name = "MissingPermissionsError";
  }
}

/** IAM actions on roles that AWS conditions with iam:PermissionsBoundary (the role's boundary). */
export const BOUNDARY_CONDITIONED_ACTIONS: ReadonlySet<string> = new Set([
  "iam:CreateRole",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:DeleteRole",
]);

function rowsFor(stackId: string, resourceTypes: readonly string[]) {
  const missing = resourceTypes.filter((type) => !(type in RESOURCE_PERMISSIONS));
  if (missing.length > 0) throw new MissingPermissionsError(stackId, missing);
  return resourceTypes.map((type) => RESOURCE_PERMISSIONS[type]);
}

/** The union of actions per scope, over the rows of `resourceTypes` (only reads when `only` is "read"). */
export function actionsByScope(
  stackId: string,
  resourceTypes: readonly string[],
  only?: "read",
): Map<Scope, string[]> {
  const byScope = new Map<Scope, Set<string>>();
  for (const row of rowsFor(stackId, resourceTypes)) {
    for (const grant of row.grants) {
      const actions = grantActions(grant, only);
      if (actions.length === 0) continue;
      if (!byScope.has(grant.scope)) byScope.set(grant.scope, new Set());
      actions.forEach((a) => byScope.get(grant.scope)!.add(a));
    }
  }
  return new Map([...byScope].map(([scope, actions]) => [scope, [...actions].sort()]));
}

const sidOf = (text: string) =>
  text
    .replace(/(^|[^A-Za-z0-9])([a-z])/g, (_, __, c: string) => c.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, "");

function stateObjects(input: EnvironmentPermissionsInput) {
  const key = `arn:aws:s3:::${input.stateBucket}/${input.config.backend.key}`;
  return { key, lock: `${key}.tflock` };
}

/**
 * kms actions S3 uses for SSE-KMS objects: only through S3 in `regions`, only on the bootstrap's bucket
 * keys (by alias). Which objects is S3's decision (the s3: statements), so one environment's role cannot
 * use the key on another's state. `bucket`: only for that bucket's objects (a bucket with an S3 Bucket Key
 * gives KMS the bucket's ARN as encryption context, S3 user guide "Using Amazon S3 Bucket Keys").
 */
function kmsViaS3(
  sid: string,
  actions: readonly string[],
  input: EnvironmentPermissionsInput,
  regions: readonly string[],
  bucket?: string,
): Statement {
  const names = bootstrapNames(input.bootstrapNamePrefix);
  return {
    sid,
    actions,
    resources: regions.map((r) => `arn:aws:kms:${r}:${input.config.aws.accountId}:key/*`),
    conditions: {
      StringEquals: {
        "kms:ViaService": regions.map((r) => `s3.${r}.amazonaws.com`),
        ...(bucket ? { "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::${bucket}` } : {}),
      },
      "ForAnyValue:StringEquals": {
        "kms:ResourceAliases": regions.map((r) => `alias/${names.keyAlias("buckets", r)}`),
      },
    },
  };
}

/**
 * The pass records (lib/promotion, `promotions/<release>/<environment>.json` in the artifacts bucket) an
 * environment's roles use, from PROMOTION: what each job's step does, nothing more.
 */
export function promotionRecords(
  environment: string,
  promotion: Readonly<Record<string, readonly string[]>>,
): { readonly written: string[]; readonly readByDeploy: string[]; readonly readByPlan: string[] } {
  const gates = promotion[environment] ?? [];
  const gatesAnother = Object.values(promotion).some((list) => list.includes(environment));
  return {
    // The deploy job records its own pass after its integration tests: only a pass that gates another.
    written: gatesAnother ? [environment] : [],
    // The deploy job's gate (release:passed, also --rollback: a first stage then needs its own earlier pass).
    readByDeploy: gates.length > 0 ? [...gates] : [environment],
    // The plan job's gate before a gated environment's plan.
    readByPlan: [...gates],
  };
}

/** s3 and kms statements to read `reads` and write `writes` pass records in the environment's artifacts bucket. */
function promotionStatements(
  input: EnvironmentPermissionsInput,
  records: { readonly reads: readonly string[]; readonly writes: readonly string[] },
): Statement[] {
  const bucket = input.config.artifacts.bucket;
  const record = (environment: string) => `arn:aws:s3:::${bucket}/promotions/*/${environment}.json`;
  const statements: Statement[] = [];
  if (records.reads.length > 0)
    statements.push(
      { sid: "ReadPromotionRecords", actions: ["s3:GetObject"], resources: records.reads.map(record) },
      // Without ListBucket S3 answers a missing record with 403, not 404 (GetObject API reference,
      // "Permissions"), and the gate could not say "has not passed".
      { sid: "ListArtifactsBucket", actions: ["s3:ListBucket"], resources: [`arn:aws:s3:::${bucket}`] },
    );
  if (records.writes.length > 0)
    statements.push({
      sid: "WriteOwnPromotionRecord",
      actions: ["s3:PutObject"],
      resources: records.writes.map(record),
    });
  const kms = [
    ...(records.reads.length > 0 ? ["kms:Decrypt"] : []),
    ...(records.writes.length > 0 ? ["kms:GenerateDataKey"] : []),
  ];
  if (kms.length > 0)
    statements.push(kmsViaS3("PromotionRecordsEncryption", kms, input, [input.config.aws.region], bucket));
  return statements;
}

/**
 * The deploy role's statements for one environment: the table's actions for every resource type of
 * its stack, on that environment's scopes; PassRole to the services its types hand roles to; its own
 * state key and lock; and the guardrails (boundary required, never removed, bootstrap names untouchable).
 */
export function deployStatements(stackId: string, input: EnvironmentPermissionsInput): Statement[] {
  const { config, boundaryArn } = input;
  const account = config.aws.accountId;
  const statements: Statement[] = [];
  for (const [scope, actions] of actionsByScope(stackId, input.resourceTypes)) {
    const { resources, conditions } = scopeResources(scope, config);
    const conditioned = scope === "role" ? actions.filter((a) => BOUNDARY_CONDITIONED_ACTIONS.has(a)) : [];
    const plain = actions.filter((a) => !conditioned.includes(a));
    if (plain.length > 0)
      statements.push({ sid: sidOf(`deploy ${scope}`), actions: plain, resources, conditions });
    if (conditioned.length > 0)
      statements.push({
        sid: "DeployRoleWithBoundary",
        actions: conditioned,
        resources,
        conditions: { StringEquals: { "iam:PermissionsBoundary": boundaryArn } },
      });
  }
  const rows = rowsFor(stackId, input.resourceTypes);
  const passedTo = [...new Set(rows.flatMap((r) => r.passRoleTo ?? []))].sort();
  if (passedTo.length > 0)
    statements.push({
      sid: "PassOwnRoles",
      actions: ["iam:PassRole"],
      resources: scopeResources("role", config).resources,
      conditions: { StringEquals: { "iam:PassedToService": passedTo } },
    });
  for (const service of [...new Set(rows.flatMap((r) => r.serviceLinkedRoles ?? []))].sort())
    statements.push({
      sid: sidOf(`service linked role ${service.split(".")[0]}`),
      actions: ["iam:CreateServiceLinkedRole"],
      resources: [`arn:aws:iam::${account}:role/aws-service-role/${service}/*`],
      conditions: { StringEquals: { "iam:AWSServiceName": service } },
    });
  if (rows.some((r) => r.grants.some((g) => g.scope === "artifacts")))
    statements.push(kmsViaS3("DecryptReleaseArtifacts", ["kms:Decrypt"], input, environmentRegions(config)));
  const records = promotionRecords(config.environment, input.promotion);
  statements.push(...promotionStatements(input, { reads: records.readByDeploy, writes: records.written }));
  const state = stateObjects(input);
  statements.push(
    { sid: "ListStateBucket", actions: ["s3:ListBucket"], resources: [`arn:aws:s3:::${input.stateBucket}`] },
    { sid: "OwnState", actions: ["s3:GetObject", "s3:PutObject"], resources: [state.key] },
    {
      sid: "OwnStateLock",
      actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      resources: [state.lock],
    },
    kmsViaS3("OwnStateEncryption", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], input, [
      input.stateRegion,
    ]),
  );
  statements.push(...guardrails(input));
  return statements;
}

/** The API Gateway collections whose members have generated ids (so no Allow can carry a name). */
const API_COLLECTIONS = ["restapis", "apikeys", "usageplans"];

/** Deny `actions` on `resources` when the tag `key` names another environment (and is there at all). */
function denyTaggedForOthers(
  sid: string,
  actions: string[],
  resources: string[],
  key: "aws:ResourceTag/Environment" | "aws:RequestTag/Environment",
  input: EnvironmentPermissionsInput,
): Statement {
  return {
    sid,
    effect: "Deny",
    actions,
    resources,
    conditions: { StringNotEquals: { [key]: input.config.environment }, Null: { [key]: "false" } },
  };
}

/**
 * REST APIs, keys and usage plans have generated ids, so their Allow cannot carry a name. API Gateway
 * applies a REST API's tags to all its child resources for access control (API Gateway developer guide,
 * "API Gateway resources that can be tagged"), and a tagging request (/tags/<arn>) is authorized with the
 * tagged resource's tags, so anything tagged for another environment is refused: its key values, and
 * retagging it into this environment. Untagged requests (a create, which carries request tags instead)
 * are not affected.
 */
function denyOtherEnvironmentsApis(input: EnvironmentPermissionsInput): Statement {
  const resources = [...API_COLLECTIONS, "tags"].map((c) => `arn:aws:apigateway:*::/${c}/*`);
  return denyTaggedForOthers(
    "DenyOtherEnvironmentsApis",
    ["apigateway:*"],
    resources,
    "aws:ResourceTag/Environment",
    input,
  );
}

/**
 * Creating a REST API, key or usage plan is a POST on its collection, which no tag of an existing resource
 * guards: refused when the request tags it for another environment (found by the emulated apply's
 * identity check: production's deploy role could create staging-tagged APIs that staging's role then owns).
 */
function denyCreatingOtherEnvironmentsApis(input: EnvironmentPermissionsInput): Statement {
  const resources = API_COLLECTIONS.map((c) => `arn:aws:apigateway:*::/${c}`);
  return denyTaggedForOthers(
    "DenyCreatingOtherEnvironmentsApis",
    ["apigateway:POST"],
    resources,
    "aws:RequestTag/Environment",
    input,
  );
}

/** Explicit denies: no role without the boundary, no boundary removed, nothing of the bootstrap's touched. */
function guardrails(input: EnvironmentPermissionsInput): Statement[] {
  const account = input.config.aws.accountId;
  return [
    {
      sid: "DenyRolesWithoutBoundary",
      effect: "Deny",
      actions: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
      resources: ["*"],
      conditions: { StringNotEquals: { "iam:PermissionsBoundary": input.boundaryArn } },
    },
    denyOtherEnvironmentsApis(input),
    denyCreatingOtherEnvironmentsApis(input),
    {
      sid: "DenyBoundaryRemoval",
      effect: "Deny",
      actions: ["iam:DeleteRolePermissionsBoundary"],
      resources: ["*"],
    },
    {
      sid: "DenyBootstrapIdentities",
      effect: "Deny",
      actions: ["iam:*"],
      resources: [
        `arn:aws:iam::${account}:role/${input.bootstrapNamePrefix}-*`,
        `arn:aws:iam::${account}:policy/${input.bootstrapNamePrefix}-*`,
        `arn:aws:iam::${account}:oidc-provider/*`,
      ],
    },
  ];
}

/**
 * One environment's plan role statements: only the read actions of the table, on the same scopes as its
 * deploy role; its own state key read (no write, no lock: plans run with -lock=false); the pass records
 * its plan's gate reads; and no other environment's APIs (their key values).
 */
export function planStatements(stackId: string, input: EnvironmentPermissionsInput): Statement[] {
  const { config } = input;
  const statements: Statement[] = [];
  for (const [scope, actions] of actionsByScope(stackId, input.resourceTypes, "read")) {
    const { resources, conditions } = scopeResources(scope, config);
    statements.push({ sid: sidOf(`read ${scope}`), actions, resources, conditions });
  }
  const records = promotionRecords(config.environment, input.promotion);
  statements.push(...promotionStatements(input, { reads: records.readByPlan, writes: [] }));
  const state = stateObjects(input);
  statements.push(
    { sid: "ListStateBucket", actions: ["s3:ListBucket"], resources: [`arn:aws:s3:::${input.stateBucket}`] },
    { sid: "ReadOwnState", actions: ["s3:GetObject"], resources: [state.key] },
    kmsViaS3("DecryptOwnState", ["kms:Decrypt"], input, [input.stateRegion]),
    denyOtherEnvironmentsApis(input),
  );
  return statements;
}
