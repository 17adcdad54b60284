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
 * use the key on another's state.
 */
function kmsViaS3(
  sid: string,
  actions: readonly string[],
  input: EnvironmentPermissionsInput,
  regions: readonly string[],
): Statement {
  const names = bootstrapNames(input.bootstrapNamePrefix);
  return {
    sid,
    actions,
    resources: regions.map((r) => `arn:aws:kms:${r}:${input.config.aws.accountId}:key/*`),
    conditions: {
      StringEquals: { "kms:ViaService": regions.map((r) => `s3.${r}.amazonaws.com`) },
      "ForAnyValue:StringEquals": {
        "kms:ResourceAliases": regions.map((r) => `alias/${names.keyAlias("buckets", r)}`),
      },
    },
  };
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
    {
      // REST APIs, keys and usage plans have generated ids, so their Allow cannot carry a name. API Gateway
      // applies a REST API's tags to all its child resources for access control (API Gateway developer
      // guide, "API Gateway resources that can be tagged"), so anything tagged for another environment is
      // refused. Untagged requests (a create, which carries request tags instead) are not affected.
      sid: "DenyOtherEnvironmentsApis",
      effect: "Deny",
      actions: ["apigateway:*"],
      resources: [
        "arn:aws:apigateway:*::/restapis/*",
        "arn:aws:apigateway:*::/apikeys/*",
        "arn:aws:apigateway:*::/usageplans/*",
      ],
      conditions: {
        StringNotEquals: { "aws:ResourceTag/Environment": input.config.environment },
        Null: { "aws:ResourceTag/Environment": "false" },
      },
    },
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
 * The plan role's statements for one environment: only the read actions of the table, on the same
 * scopes, and its state key read (no write, no lock: plans run with -lock=false).
 */
export function planStatements(stackId: string, input: EnvironmentPermissionsInput): Statement[] {
  const { config } = input;
  const env = sidOf(config.environment);
  const statements: Statement[] = [];
  for (const [scope, actions] of actionsByScope(stackId, input.resourceTypes, "read")) {
    const { resources, conditions } = scopeResources(scope, config);
    statements.push({ sid: sidOf(`read ${env} ${scope}`), actions, resources, conditions });
  }
  const state = stateObjects(input);
  statements.push(
    { sid: `ReadState${env}`, actions: ["s3:GetObject"], resources: [state.key] },
    kmsViaS3(`DecryptState${env}`, ["kms:Decrypt"], input, [input.stateRegion]),
  );
  return statements;
}
