import type { EnvironmentConfig } from "../../config";
import { PROMOTION } from "../../config/releases";
import { bootstrapNames } from "../../bootstrap";
import { EDGE_REGION, environmentTagKeys } from "../../bootstrap/deploy-scopes";
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
const planPolicies = (c: EnvironmentConfig) => attachedPolicies(json, names.planRole(c.environment));

const stateKey = (c: EnvironmentConfig) => `arn:aws:s3:::${account.stateBucket}/${c.backend.key}`;
const RELEASE = "r2026.12.05-1";
const passRecord = (bucketOf: EnvironmentConfig, environment: string) =>
  `arn:aws:s3:::${bucketOf.artifacts.bucket}/promotions/${RELEASE}/${environment}.json`;
/** The request tags a create carries: the environment's default tags. */
const createTags = (environment: string, c: EnvironmentConfig) => ({
  "aws:RequestTag/Environment": environment,
  "aws:TagKeys": environmentTagKeys(c),
});
/** What PROMOTION says `c` needs: the passes of these environments. */
const gatesOf = (c: EnvironmentConfig): readonly string[] =>
  (PROMOTION as Readonly<Record<string, readonly string[]>>)[c.environment] ?? [];

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
      "tag its new distribution as it creates it (CreateDistributionWithTags)",
      {
        action: "cloudfront:TagResource",
        resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/E3NEWDIST`,
        context: createTags(c.environment, c),
      },
    ],
    [
      "tag its new DSQL cluster as it creates it",
      {
        action: "dsql:TagResource",
        resource: `arn:aws:dsql:${region}:${ACCOUNT}:cluster/newclusterid`,
        context: createTags(c.environment, c),
      },
    ],
    [
      "tag its new event source mapping as it creates it",
      {
        action: "lambda:TagResource",
        resource: `arn:aws:lambda:${region}:${ACCOUNT}:event-source-mapping:11111111-2222-3333-4444-555555555555`,
        context: createTags(c.environment, c),
      },
    ],
    // Named resources created with tags: the tag action is authorized on the new resource's name.
    ...(
      [
        ["lambda:TagResource", `arn:aws:lambda:${region}:${ACCOUNT}:function:${c.prefix}-NewFunction`],
        ["sqs:TagQueue", `arn:aws:sqs:${region}:${ACCOUNT}:${c.prefix}-NewQueue`],
        [
          "logs:TagResource",
          `arn:aws:logs:${region}:${ACCOUNT}:log-group:/aws/lambda/${c.prefix}-NewFunction`,
        ],
        ["iam:TagRole", roleArn(`${c.prefix}-NewFunction`)],
      ] as const
    ).map(([action, resource]): [string, Request] => [
      `tag a new ${action.split(":")[0]} resource as it creates it (${action})`,
      { action, resource, context: createTags(c.environment, c) },
    ]),
    [
      "wait for its function's update (FunctionUpdated polls GetFunctionConfiguration)",
      {
        action: "lambda:GetFunctionConfiguration",
        resource: `arn:aws:lambda:${EDGE_REGION}:${ACCOUNT}:function:${c.prefix}-CloudfrontMiddleware`,
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

describe.each(configs.map((c) => [c.environment, c] as const))("the %s deploy role and tags", (_, c) => {
  const principal = roleArn(names.deployRole(c.environment));
  const run = (request: Request) => decide(principal, ACCOUNT, deployPolicies(c), request);
  const others = configs.filter((o) => o !== c);

  // A create's tag grant must not reach a resource that already carries another environment's tag:
  // retagged with this environment's name, it would fall under this role's ResourceTag grants.
  test("may not retag another environment's distribution, cluster, mapping or API into its own", async () => {
    for (const other of others) {
      const context = { ...createTags(c.environment, c), "aws:ResourceTag/Environment": other.environment };
      const region = other.aws.region;
      const restApi = encodeURIComponent(`arn:aws:apigateway:${region}::/restapis/a1b2c3d4e5`);
      for (const [action, resource] of [
        ["cloudfront:TagResource", `arn:aws:cloudfront::${ACCOUNT}:distribution/E2EXAMPLE`],
        ["dsql:TagResource", `arn:aws:dsql:${region}:${ACCOUNT}:cluster/otherclusterid`],
        [
          "lambda:TagResource",
          `arn:aws:lambda:${region}:${ACCOUNT}:event-source-mapping:11111111-2222-3333-4444-555555555555`,
        ],
        ["apigateway:PUT", `arn:aws:apigateway:${region}::/tags/${restApi}`],
      ])
        expect([action, await run({ action, resource, context })]).not.toEqual([action, "Allowed"]);
    }
  });

  test("tags a resource at create only with the environment's own tag keys", async () => {
    const context = { ...createTags(c.environment, c), "aws:TagKeys": [...environmentTagKeys(c), "Owner"] };
    expect(
      await run({
        action: "cloudfront:TagResource",
        resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/E3NEWDIST`,
        context,
      }),
    ).not.toBe("Allowed");
  });
});

describe.each(configs.map((c) => [c.environment, c] as const))(
  "the %s deploy role, on what the emulated apply's calls showed",
  (_, c) => {
    const run = (request: Request) =>
      decide(roleArn(names.deployRole(c.environment)), ACCOUNT, deployPolicies(c), request);
    const region = c.aws.region;

    test("creates its DSQL cluster with the construct's Name tag beside the environment's tags", async () => {
      const keys = [...environmentTagKeys(c), "Name"];
      expect(
        await run({
          action: "dsql:CreateCluster",
          resource: `arn:aws:dsql:${region}:${ACCOUNT}:cluster/*`,
          context: {
            "aws:RequestTag/Environment": c.environment,
            "aws:RequestTag/Name": "x",
            "aws:TagKeys": keys,
          },
        }),
      ).toBe("Allowed");
    });

    test("creates REST APIs, keys and usage plans tagged for itself only", async () => {
      for (const collection of ["restapis", "apikeys", "usageplans"]) {
        const resource = `arn:aws:apigateway:${region}::/${collection}`;
        for (const other of configs.filter((o) => o.environment !== c.environment))
          expect([
            collection,
            await run({ action: "apigateway:POST", resource, context: createTags(other.environment, other) }),
          ]).toEqual([collection, "ExplicitlyDenied"]);
        expect([
          collection,
          await run({ action: "apigateway:POST", resource, context: createTags(c.environment, c) }),
        ]).toEqual([collection, "Allowed"]);
      }
    });
  },
);

describe.each(configs.map((c) => [c.environment, c] as const))("the %s roles and pass records", (_, c) => {
  const deploy = (request: Request) =>
    decide(roleArn(names.deployRole(c.environment)), ACCOUNT, deployPolicies(c), request);
  const plan = (request: Request) =>
    decide(roleArn(names.planRole(c.environment)), ACCOUNT, planPolicies(c), request);
  const gates = gatesOf(c);
  const gatesAnother = configs.some((o) => gatesOf(o).includes(c.environment));

  test("the deploy role writes its own pass record only, and only if its pass gates another environment", async () => {
    expect(await deploy({ action: "s3:PutObject", resource: passRecord(c, c.environment) })).toBe(
      gatesAnother ? "Allowed" : "ImplicitlyDenied",
    );
    for (const other of configs.filter((o) => o !== c))
      expect(await deploy({ action: "s3:PutObject", resource: passRecord(c, other.environment) })).not.toBe(
        "Allowed",
      );
  });

  test("the deploy role reads the records its gate needs (its own, for a first stage's rollback), the plan role its gates' only", async () => {
    for (const record of configs.map((o) => o.environment)) {
      const resource = passRecord(c, record);
      const deployReads = gates.length > 0 ? gates.includes(record) : record === c.environment;
      expect([record, await deploy({ action: "s3:GetObject", resource })]).toEqual([
        record,
        deployReads ? "Allowed" : "ImplicitlyDenied",
      ]);
      expect([record, await plan({ action: "s3:GetObject", resource })]).toEqual([
        record,
        gates.includes(record) ? "Allowed" : "ImplicitlyDenied",
      ]);
    }
  });

  test("a missing record is a 404 to the roles that read records (ListBucket on the artifacts bucket)", async () => {
    const request = { action: "s3:ListBucket", resource: `arn:aws:s3:::${c.artifacts.bucket}` };
    expect(await deploy(request)).toBe("Allowed");
    expect(await plan(request)).toBe(gates.length > 0 ? "Allowed" : "ImplicitlyDenied");
  });

  test("the records' encryption: through S3, for the artifacts bucket", async () => {
    const key = `arn:aws:kms:${c.aws.region}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
    const context = {
      "kms:ViaService": `s3.${c.aws.region}.amazonaws.com`,
      "kms:ResourceAliases": [`alias/${names.keyAlias("buckets", c.aws.region)}`],
      "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::${c.artifacts.bucket}`,
    };
    const kms = (action: string, extra: Record<string, string | string[]> = context) => ({
      action,
      resource: key,
      resourcePolicy: defaultKeyPolicy(ACCOUNT),
      context: extra,
    });
    if (gatesAnother) expect(await deploy(kms("kms:GenerateDataKey"))).toBe("Allowed");
    expect(await deploy(kms("kms:Decrypt"))).toBe("Allowed");
    if (gates.length > 0) expect(await plan(kms("kms:Decrypt"))).toBe("Allowed");
    const direct = { "kms:ResourceAliases": context["kms:ResourceAliases"] };
    expect(await deploy(kms("kms:Decrypt", direct))).not.toBe("Allowed");
    expect(await plan(kms("kms:Decrypt", direct))).not.toBe("Allowed");
  });
});

/** Which plan role may make a read: its own environment's (or none: a deploy-only read). */
type Readers = (reader: EnvironmentConfig) => boolean;

/** What a plan role reads of an environment `c`: each request, and which plan roles may make it. */
function environmentReads(c: EnvironmentConfig): [string, Request, Readers][] {
  const region = c.aws.region;
  const fn = (name: string) => `arn:aws:lambda:${region}:${ACCOUNT}:function:${c.prefix}-${name}`;
  const own: Readers = (reader) => reader === c;
  const none: Readers = () => false;
  return [
    ["read its state (decrypted secrets)", { action: "s3:GetObject", resource: stateKey(c) }, own],
    [
      "read a function (its environment variables)",
      { action: "lambda:GetFunction", resource: fn("ListFiles") },
      own,
    ],
    [
      "read a function's configuration",
      { action: "lambda:GetFunctionConfiguration", resource: fn("ListFiles") },
      none,
    ],
    [
      "read an API key's value",
      {
        action: "apigateway:GET",
        resource: `arn:aws:apigateway:${region}::/apikeys/k1l2m3n4o5`,
        context: { "aws:ResourceTag/Environment": c.environment },
      },
      own,
    ],
    [
      "list a log group's tags",
      {
        action: "logs:ListTagsForResource",
        resource: `arn:aws:logs:${region}:${ACCOUNT}:log-group:/aws/lambda/${c.prefix}-ListFiles`,
      },
      own,
    ],
    [
      "list its event source mapping's tags",
      {
        action: "lambda:ListTags",
        resource: `arn:aws:lambda:${region}:${ACCOUNT}:event-source-mapping:11111111-2222-3333-4444-555555555555`,
        context: { "aws:ResourceTag/Environment": c.environment },
      },
      own,
    ],
    ["list a function's tags", { action: "lambda:ListTags", resource: fn("ListFiles") }, own],
    ["list a role's tags", { action: "iam:ListRoleTags", resource: roleArn(`${c.prefix}-ListFiles`) }, own],
    [
      "read its distribution",
      {
        action: "cloudfront:GetDistribution",
        resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/E2EXAMPLE`,
        context: { "aws:ResourceTag/Environment": c.environment },
      },
      own,
    ],
    // A pass record is read by the plan role of the environment it gates (its gate reads its own bucket).
    ...configs.map((o): [string, Request, Readers] => [
      `read the pass record of ${o.environment}`,
      { action: "s3:GetObject", resource: passRecord(c, o.environment) },
      (reader) => gatesOf(reader).includes(o.environment) && reader.artifacts.bucket === c.artifacts.bucket,
    ]),
  ];
}

/** One line per read a plan role gets wrong: its own environment's as expected, no other environment's. */
async function planIsolationFailures(policiesOf: (c: EnvironmentConfig) => unknown[]): Promise<string[]> {
  const failures: string[] = [];
  for (const self of configs) {
    const principal = roleArn(names.planRole(self.environment));
    for (const target of configs)
      for (const [what, request, readers] of environmentReads(target)) {
        const expected = readers(self);
        const decision = await decide(principal, ACCOUNT, policiesOf(self), request);
        if ((decision === "Allowed") !== expected)
          failures.push(
            `${self.environment} plan role may ${what} of ${target.environment}: expected ${expected ? "Allowed" : "denied"}, got ${decision}`,
          );
      }
  }
  return failures;
}

describe("the plan roles", () => {
  test("each reads its own environment, and is denied every read of another environment", async () => {
    expect(await planIsolationFailures(planPolicies)).toEqual([]);
  }, 60_000); // a correctness check, not a speed limit

  test("one shared plan role (every environment's plan policies on one role) breaks the isolation test", async () => {
    const shared = () => configs.flatMap(planPolicies);
    const failures = await planIsolationFailures(shared);
    for (const self of configs)
      for (const other of configs.filter((o) => o !== self))
        expect(failures).toEqual(
          expect.arrayContaining([
            `${self.environment} plan role may read its state (decrypted secrets) of ${other.environment}: expected denied, got Allowed`,
          ]),
        );
  }, 60_000); // a correctness check, not a speed limit

  test.each(configs.map((c) => [c.environment, c] as const))(
    "the %s plan role is denied every write a deploy role may do",
    async (_, c) => {
      const principal = roleArn(names.planRole(c.environment));
      const writes: Request[] = [];
      for (const o of configs)
        for (const document of deployPolicies(o) as {
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
              if (/^[a-z0-9-]+:(Get|List|Describe)/.test(action) || action === "apigateway:GET") continue;
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
          const decision = await decide(principal, ACCOUNT, planPolicies(c), request).catch(
            () => "ImplicitlyDenied",
          );
          return decision === "Allowed" ? `${request.action} on ${request.resource}` : undefined;
        }),
      );
      expect(decisions.filter(Boolean)).toEqual([]);
    },
    120_000, // a correctness check, not a speed limit
  );
});

/** Satisfies a statement's conditions with their first value (wildcards made concrete; Null: true, absent). */
export function contextFor(
  conditions: Record<string, Record<string, string | string[]>> | undefined,
): Record<string, string> {
  const context: Record<string, string> = {};
  for (const [operator, keys] of Object.entries(conditions ?? {})) {
    if (operator.startsWith("StringNot") || operator === "Null") continue;
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
