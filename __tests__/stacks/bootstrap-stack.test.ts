import { Testing } from "cdktf";
import { parseBootstrap, BOOTSTRAP_INPUT } from "../../config";
import { BootstrapStack, bootstrapStacks } from "../../stacks/bootstrap-stack";
import { synthBootstrap } from "../helpers/bootstrap";
import { environments } from "../helpers/synth";

const { config, json } = synthBootstrap();
const account = config.accounts[0];
type Block = Record<string, unknown>;
const blocks = (type: string): Block[] => Object.values(json.resource[type] ?? {});
const bucketId = (name: string) =>
  Object.entries(json.resource.aws_s3_bucket).find(([, b]) => b.bucket === name)![0];
const of = (type: string, name: string) =>
  blocks(type).find((b) => b.bucket === `\${aws_s3_bucket.${bucketId(name)}.id}`);

const bucketNames = [
  account.stateBucket,
  ...new Set(account.environments.flatMap((c) => [c.artifacts.bucket, c.artifacts.edgeBucket])),
];

test("one bootstrap stack for one account, named bootstrap-stack; one per account otherwise", () => {
  expect(bootstrapStacks(config).map((s) => s.id)).toEqual(["bootstrap-stack"]);
  const envs = structuredClone(environments());
  envs.production.aws.accountId = "210987654321";
  const input = structuredClone(BOOTSTRAP_INPUT) as { accounts: Record<string, unknown> };
  input.accounts["210987654321"] = {
    stateKey: "bootstrap/210987654321/terraform.tfstate",
    apiGatewayAccountRegions: ["us-west-2"],
  };
  expect(
    bootstrapStacks(parseBootstrap(input, envs))
      .map((s) => s.id)
      .sort(),
  ).toEqual(["bootstrap-123456789012-stack", "bootstrap-210987654321-stack"]);
});

test("its state lives in its own key of the bucket it creates, with S3-native locking", () => {
  expect(json.terraform.backend).toEqual({
    s3: {
      bucket: account.stateBucket,
      key: account.stateKey,
      region: account.stateRegion,
      encrypt: true,
      use_lockfile: true,
    },
  });
  expect(json.resource.aws_dynamodb_table).toBeUndefined();
});

test("with the local-state flag (first apply) the backend is a local file outside cdktf.out", () => {
  process.env.MEDIA_DOWNLOADER_BOOTSTRAP_LOCAL_STATE = "1";
  try {
    const stack = new BootstrapStack(Testing.app(), "bootstrap-stack", {
      bootstrap: config,
      account,
      resourceTypes: Object.fromEntries(account.environments.map((c) => [c.environment, []])),
    });
    const backend = (stack.toTerraform() as { terraform: { backend: unknown } }).terraform.backend;
    expect(backend).toEqual({ local: { path: "../../../.bootstrap-state/bootstrap-stack.tfstate" } });
  } finally {
    delete process.env.MEDIA_DOWNLOADER_BOOTSTRAP_LOCAL_STATE;
  }
});

test.each(bucketNames.map((b) => [b]))("bucket %s is hardened", (name) => {
  expect(json.resource.aws_s3_bucket[bucketId(name)]).toMatchObject({ lifecycle: { prevent_destroy: true } });
  expect(of("aws_s3_bucket_versioning", name)).toMatchObject({
    versioning_configuration: { status: "Enabled" },
  });
  const sse = of("aws_s3_bucket_server_side_encryption_configuration", name) as { rule: Block[] };
  expect(sse.rule[0]).toMatchObject({
    apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" },
  });
  expect(String((sse.rule[0].apply_server_side_encryption_by_default as Block).kms_master_key_id)).toMatch(
    /^\$\{aws_kms_key\..+\.arn\}$/,
  );
  expect(of("aws_s3_bucket_public_access_block", name)).toMatchObject({
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  });
  expect(of("aws_s3_bucket_ownership_controls", name)).toMatchObject({
    rule: { object_ownership: "BucketOwnerEnforced" },
  });
  const policy = JSON.parse(String(of("aws_s3_bucket_policy", name)!.policy));
  expect(policy.Statement).toEqual([
    expect.objectContaining({
      Effect: "Deny",
      Action: "s3:*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    }),
  ]);
  const lifecycle = of("aws_s3_bucket_lifecycle_configuration", name) as { rule: Block[] };
  expect(lifecycle.rule[0]).toMatchObject({ noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
});

test("the state bucket has no S3 Bucket Key (each object is its own encryption context)", () => {
  const sse = of("aws_s3_bucket_server_side_encryption_configuration", account.stateBucket) as {
    rule: Block[];
  };
  expect(sse.rule[0].bucket_key_enabled).toBe(false);
});

test("customer-managed keys rotate, one per region with a bucket (the edge bucket's in us-east-1)", () => {
  const keys = blocks("aws_kms_key");
  expect(keys.length).toBe(new Set([account.stateRegion, "us-east-1"]).size);
  for (const key of keys)
    expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
});

test("GitHub's OIDC provider, audience sts.amazonaws.com", () => {
  expect(blocks("aws_iam_openid_connect_provider")).toEqual([
    expect.objectContaining({
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    }),
  ]);
});

test("trust: each deploy role and each plan role only for its own GitHub environments; no wildcards", () => {
  const repo = "repo:j0nathan-ll0yd/aws-cloudformation-media-downloader";
  const subjects = Object.fromEntries(
    blocks("aws_iam_role")
      .filter((r) => String(r.assume_role_policy).includes("Federated"))
      .map((r) => {
        const statement = JSON.parse(String(r.assume_role_policy)).Statement[0];
        expect(Object.keys(statement.Condition)).toEqual(["StringEquals"]);
        expect(statement.Condition.StringEquals["token.actions.githubusercontent.com:aud"]).toBe(
          "sts.amazonaws.com",
        );
        return [r.name, statement.Condition.StringEquals["token.actions.githubusercontent.com:sub"]];
      }),
  );
  // One deploy role per configured environment (an environment added by config gets its own).
  const deployRoles = Object.fromEntries(
    Object.values(environments()).map((c) => [
      `lifegames-MediaDownloader-${c.environment}-deploy`,
      `${repo}:environment:${c.environment}`,
    ]),
  );
  // An environment added by config gets its own plan role, trusted by `<name>-plan` (config/bootstrap.ts
  // planEnvironments names the committed environments' plan environments, written out below).
  const planRoles = Object.fromEntries(
    Object.values(environments())
      .filter((c) => !["staging", "production"].includes(c.environment))
      .map((c) => [
        `lifegames-MediaDownloader-${c.environment}-plan`,
        `${repo}:environment:${c.environment}-plan`,
      ]),
  );
  expect(subjects).toEqual({
    ...deployRoles,
    ...planRoles,
    // One plan role per environment: staging's only for the staging plan environment, production's only
    // for production's (the reviewed PR plan and main's plan, rollback plan and drift check).
    "lifegames-MediaDownloader-staging-plan": `${repo}:environment:staging-plan`,
    "lifegames-MediaDownloader-production-plan": [
      `${repo}:environment:pr-production-plan`,
      `${repo}:environment:production-plan`,
    ],
  });
});

test("the API Gateway account setting is owned here, with its CloudWatch role", () => {
  const [setting] = blocks("aws_api_gateway_account");
  expect(String(setting.cloudwatch_role_arn)).toMatch(/^\$\{aws_iam_role\..+\.arn\}$/);
  const role = blocks("aws_iam_role").find((r) => r.name === "lifegames-MediaDownloader-apigateway-logs");
  expect(JSON.parse(String(role!.assume_role_policy)).Statement[0].Principal).toEqual({
    Service: "apigateway.amazonaws.com",
  });
  expect(blocks("aws_iam_role_policy_attachment").map((a) => a.policy_arn)).toContain(
    "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
  );
});

test("outputs name the roles the workflows assume", () => {
  expect(Object.keys(json.output).sort()).toEqual(
    [
      ...Object.values(environments()).flatMap((c) => [
        `deploy_role_arn_${c.environment}`,
        `plan_role_arn_${c.environment}`,
      ]),
      "oidc_provider_arn",
      "state_bucket",
    ].sort(),
  );
  expect(json.output.deploy_role_arn_staging.value).toBe(
    "arn:aws:iam::123456789012:role/lifegames-MediaDownloader-staging-deploy",
  );
  expect(json.output.plan_role_arn_production.value).toBe(
    "arn:aws:iam::123456789012:role/lifegames-MediaDownloader-production-plan",
  );
});
