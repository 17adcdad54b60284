import type { EnvironmentConfig } from "../../config";
import { bootstrapNames } from "../../bootstrap";
import { EDGE_REGION } from "../../bootstrap/deploy-scopes";
import { attachedPolicies, policyNamed, synthBootstrap } from "../helpers/bootstrap";
import { decide, defaultKeyPolicy, type Request } from "../helpers/iam-simulation";

// Simulated evaluation of the REAL synthesized bootstrap policies (@cloud-copilot/iam-simulate).
const { config, json } = synthBootstrap();
const account = config.accounts[0];
const ACCOUNT = account.accountId;
const names = bootstrapNames(config.namePrefix);
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const boundaryArn = (c: EnvironmentConfig) => `arn:aws:iam::${ACCOUNT}:policy/${c.aws.permissionsBoundary}`;
const deployPolicies = (c: EnvironmentConfig) => attachedPolicies(json, names.deployRole(c.environment));

const stateKey = (c: EnvironmentConfig) => `arn:aws:s3:::${account.stateBucket}/${c.backend.key}`;

/** What a deploy role must be able to do on its own environment (and nothing of it on another's). */
function ownWork(c: EnvironmentConfig): [string, Request][] {
  const region = c.aws.region;
  return [
    [
      "update one of its functions",
      {
        action: "lambda:UpdateFunctionCode",
        resource: `arn:aws:lambda:${region}:${ACCOUNT}:function:${c.prefix}-ListFiles`,
      },
    ],
    [
      "create its edge function in us-east-1",
      {
        action: "lambda:CreateFunction",
        resource: `arn:aws:lambda:${EDGE_REGION}:${ACCOUNT}:function:${c.prefix}-CloudfrontMiddleware`,
      },
    ],
    ["write its state", { action: "s3:PutObject", resource: stateKey(c) }],
    ["take its state lock", { action: "s3:PutObject", resource: `${stateKey(c)}.tflock` }],
    ["release its state lock", { action: "s3:DeleteObject", resource: `${stateKey(c)}.tflock` }],
    [
      "delete its media bucket",
      { action: "s3:DeleteBucket", resource: `arn:aws:s3:::lifegames-${c.prefix}-media-files` },
    ],
    [
      "update its distribution (tagged with its environment)",
      {
        action: "cloudfront:UpdateDistribution",
        resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/E2EXAMPLE`,
        context: { "aws:ResourceTag/Environment": c.environment },
      },
    ],
    [
      "change a method of its REST API (the API's Environment tag applies to its children)",
      {
        action: "apigateway:PUT",
        resource: `arn:aws:apigateway:${region}::/restapis/a1b2c3d4e5/resources/f6g7h8/methods/GET`,
        context: { "aws:ResourceTag/Environment": c.environment },
      },
    ],
    [
      "delete its API key (tagged with its environment)",
      {
        action: "apigateway:DELETE",
        resource: `arn:aws:apigateway:${region}::/apikeys/k1l2m3n4o5`,
        context: { "aws:ResourceTag/Environment": c.environment },
      },
    ],
    [
      "pass its function role to Lambda",
      {
        action: "iam:PassRole",
        resource: roleArn(`${c.prefix}-ListFiles`),
        context: { "iam:PassedToService": "lambda.amazonaws.com" },
      },
    ],
  ];
}

/** One line per expectation the deploy policies of `configs` break (empty: isolation holds). */
async function isolationFailures(
  configs: readonly EnvironmentConfig[],
  policiesOf: (c: EnvironmentConfig) => unknown[],
): Promise<string[]> {
  const failures: string[] = [];
  for (const self of configs) {
    const policies = policiesOf(self);
    const principal = roleArn(names.deployRole(self.environment));
    for (const target of configs) {
      for (const [what, request] of ownWork(target)) {
        const decision = await decide(principal, ACCOUNT, policies, request);
        const expected = target === self ? "Allowed" : "denied";
        if ((decision === "Allowed") !== (target === self))
          failures.push(
            `${self.environment} may ${what} of ${target.environment}: expected ${expected}, got ${decision}`,
          );
      }
    }
  }
  return failures;
}

const configs = account.environments;

test("the account holds at least two environments to keep apart", () => {
  expect(configs.map((c) => c.environment)).toEqual(expect.arrayContaining(["staging", "production"]));
});

test("each deploy role may do its own environment's work, and none of it on another environment", async () => {
  expect(await isolationFailures(configs, deployPolicies)).toEqual([]);
}, 60_000); // a correctness check, not a speed limit

test("a deliberately widened deploy policy breaks the isolation tests", async () => {
  const widened = (c: EnvironmentConfig) => [
    ...deployPolicies(c),
    {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["lambda:UpdateFunctionCode"],
          Resource: ["arn:aws:lambda:*:*:function:*"],
        },
      ],
    },
  ];
  const failures = await isolationFailures(configs, widened);
  const staging = configs.find((c) => c.environment === "staging")!;
  const production = configs.find((c) => c.environment === "production")!;
  expect(failures).toEqual(
    expect.arrayContaining([
      `staging may update one of its functions of production: expected denied, got Allowed`,
      `production may update one of its functions of staging: expected denied, got Allowed`,
    ]),
  );
  expect(staging.prefix).not.toBe(production.prefix);
}, 60_000); // a correctness check, not a speed limit

describe.each(configs.map((c) => [c.environment, c] as const))("the %s deploy role", (_, c) => {
  const principal = roleArn(names.deployRole(c.environment));
  const run = (request: Request) => decide(principal, ACCOUNT, deployPolicies(c), request);
  const newRole = roleArn(`${c.prefix}-NewFunction`);

  test("creates a role only with its environment's boundary attached", async () => {
    expect(await run({ action: "iam:CreateRole", resource: newRole })).not.toBe("Allowed");
    const others = configs.filter((o) => o !== c).map(boundaryArn);
    for (const other of others)
      expect(
        await run({
          action: "iam:CreateRole",
          resource: newRole,
          context: { "iam:PermissionsBoundary": other },
        }),
      ).not.toBe("Allowed");
    expect(
      await run({
        action: "iam:CreateRole",
        resource: newRole,
        context: { "iam:PermissionsBoundary": boundaryArn(c) },
      }),
    ).toBe("Allowed");
  });

  test("may not remove a boundary, nor change the boundary policy", async () => {
    expect(await run({ action: "iam:DeleteRolePermissionsBoundary", resource: newRole })).toBe(
      "ExplicitlyDenied",
    );
    for (const action of ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:SetDefaultPolicyVersion"])
      expect(await run({ action, resource: boundaryArn(c) })).toBe("ExplicitlyDenied");
  });

  test("may not edit its own role or policies", async () => {
    const own = roleArn(names.deployRole(c.environment));
    const context = { "iam:PermissionsBoundary": boundaryArn(c) };
    for (const action of [
      "iam:PutRolePolicy",
      "iam:AttachRolePolicy",
      "iam:UpdateAssumeRolePolicy",
      "iam:DeleteRolePermissionsBoundary",
    ])
      expect(await run({ action, resource: own, context })).toBe("ExplicitlyDenied");
    expect(
      await run({
        action: "iam:CreatePolicyVersion",
        resource: `arn:aws:iam::${ACCOUNT}:policy/${names.deployRole(c.environment)}-1`,
      }),
    ).toBe("ExplicitlyDenied");
  });

  test("uses the state bucket's key only through S3 (S3 decides which objects)", async () => {
    const request = {
      action: "kms:GenerateDataKey",
      resource: `arn:aws:kms:${account.stateRegion}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`,
      resourcePolicy: defaultKeyPolicy(ACCOUNT),
      context: {
        "kms:ViaService": `s3.${account.stateRegion}.amazonaws.com`,
        "kms:ResourceAliases": [`alias/${names.keyAlias("buckets", account.stateRegion)}`],
      },
    };
    expect(await run(request)).toBe("Allowed");
    expect(
      await run({ ...request, context: { "kms:ResourceAliases": request.context["kms:ResourceAliases"] } }),
    ).not.toBe("Allowed");
  });

  test("passes its roles only to the services that use them", async () => {
    const role = roleArn(`${c.prefix}-ListFiles`);
    expect(
      await run({
        action: "iam:PassRole",
        resource: role,
        context: { "iam:PassedToService": "ec2.amazonaws.com" },
      }),
    ).not.toBe("Allowed");
  });

  test("may not change the API Gateway account setting (the bootstrap owns it)", async () => {
    expect(
      await run({ action: "apigateway:PATCH", resource: `arn:aws:apigateway:${c.aws.region}::/account` }),
    ).not.toBe("Allowed");
  });
});

describe("the plan role", () => {
  const principal = roleArn(names.planRole);
  const planPolicies = attachedPolicies(json, names.planRole);

  test("reads every environment's state, and may not write it or take its lock", async () => {
    for (const c of configs) {
      expect(
        await decide(principal, ACCOUNT, planPolicies, { action: "s3:GetObject", resource: stateKey(c) }),
      ).toBe("Allowed");
      for (const resource of [stateKey(c), `${stateKey(c)}.tflock`])
        expect(await decide(principal, ACCOUNT, planPolicies, { action: "s3:PutObject", resource })).not.toBe(
          "Allowed",
        );
    }
  });

  test("is denied every write a deploy role may do", async () => {
    const reads = new Set<string>();
    const writes: Request[] = [];
    for (const c of configs)
      for (const document of deployPolicies(c) as {
        Statement: {
          Effect: string;
          Action: string[];
          Resource: string[];
          Condition?: Record<string, Record<string, string | string[]>>;
        }[];
      }[])
        for (const s of document.Statement) {
          if (s.Effect !== "Allow") continue;
          for (const action of s.Action) {
            if (/^[a-z0-9-]+:(Get|List|Describe)/.test(action) || action === "apigateway:GET") {
              reads.add(action);
              continue;
            }
            writes.push({
              action,
              resource: s.Resource[0].replace(/\*/g, "x"),
              context: contextFor(s.Condition),
            });
          }
        }
    expect(writes.length).toBeGreaterThan(100);
    const decisions = await Promise.all(
      writes.map(async (request) => {
        // A sample the simulator rejects (ARN shape) cannot be allowed either.
        const decision = await decide(principal, ACCOUNT, planPolicies, request).catch(
          () => "ImplicitlyDenied",
        );
        return decision === "Allowed" ? `${request.action} on ${request.resource}` : undefined;
      }),
    );
    expect(decisions.filter(Boolean)).toEqual([]);
  }, 120_000); // a correctness check, not a speed limit
});

/** Satisfies a statement's conditions with their first value (wildcards made concrete). */
export function contextFor(
  conditions: Record<string, Record<string, string | string[]>> | undefined,
): Record<string, string> {
  const context: Record<string, string> = {};
  for (const [operator, keys] of Object.entries(conditions ?? {})) {
    if (operator.startsWith("StringNot")) continue;
    for (const [key, value] of Object.entries(keys)) {
      const first = Array.isArray(value) ? value[0] : value;
      context[key] = first.replace(/\*/g, "x");
    }
  }
  return context;
}

test("the boundary policies are the ones the deploy roles require", () => {
  for (const c of configs) expect(policyNamed(json, c.aws.permissionsBoundary)).toHaveProperty("Statement");
});
