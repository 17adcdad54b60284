import { EXPECTED as EXPECTED_ENVIRONMENTS } from "../helpers/expected";
import { pathOf, resourcesOf, synthStack } from "../helpers/synth";

// The function table is the same in every environment; staging's values are written in expected.ts.
const json = synthStack("staging-stack");
const staging = EXPECTED_ENVIRONMENTS.staging;
const functions = resourcesOf(json, "aws_lambda_function").map(([, fn]) => fn);
const byName = (name: string) => functions.find((fn) => fn.function_name === `stag-${name}`)!;
const variables = (name: string) =>
  (byName(name).environment as { variables: Record<string, string> }).variables;

/** The 18 functions of WORKLOAD.md section 2, with the sizes it lists (memory MB / timeout s / arch). */
const EXPECTED = {
  ApiGatewayAuthorizer: [128, 30, "arm64"],
  CleanupExpiredRecords: [128, 60, "arm64"],
  CloudfrontMiddleware: [128, 3, "x86_64"],
  DeviceEvent: [128, 30, "arm64"],
  ListFiles: [512, 30, "arm64"],
  LoginUser: [128, 30, "arm64"],
  LogoutUser: [128, 30, "arm64"],
  MigrateDSQL: [256, 300, "arm64"],
  PruneDevices: [128, 300, "arm64"],
  RefreshToken: [128, 30, "arm64"],
  RegisterDevice: [128, 30, "arm64"],
  RegisterUser: [128, 30, "arm64"],
  S3ObjectCreated: [128, 30, "arm64"],
  SendPushNotification: [512, 30, "arm64"],
  StartFileUpload: [2048, 900, "x86_64"],
  UserDelete: [128, 30, "arm64"],
  UserSubscribe: [128, 30, "arm64"],
  WebhookFeedly: [512, 30, "arm64"],
} as const;
const REGIONAL = Object.keys(EXPECTED).filter((name) => name !== "CloudfrontMiddleware");

test("creates exactly the 18 functions, prefixed, with their memory, timeout and architecture", () => {
  expect(functions.map((fn) => fn.function_name).sort()).toEqual(
    Object.keys(EXPECTED)
      .map((n) => `stag-${n}`)
      .sort(),
  );
  for (const [name, [memory, timeout, arch]] of Object.entries(EXPECTED)) {
    expect([name, byName(name).memory_size, byName(name).timeout, byName(name).architectures]).toEqual([
      name,
      memory,
      timeout,
      [arch],
    ]);
  }
});

test("every function runs nodejs22.x from the release's zip in the artifacts bucket", () => {
  for (const fn of functions) {
    expect(fn.runtime).toBe("nodejs22.x");
    expect(fn.handler).toBe("index.handler");
    expect(fn.s3_key).toMatch(/^releases\/unreleased\/lambdas\/\w+\.zip$/);
    expect(fn.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^terraform_data\..*release_guard/)]),
    );
  }
  // README "Deploy": the edge function's zip also lives in the us-east-1 artifacts bucket.
  expect(byName("CloudfrontMiddleware").s3_bucket).toBe("lifegames-media-downloader-artifacts-us-east-1");
  expect(byName("ListFiles").s3_bucket).toBe("lifegames-media-downloader-artifacts");
});

test("every function has its own role named after it", () => {
  const roles = resourcesOf(json, "aws_iam_role").map(([, role]) => role.name);
  for (const name of Object.keys(EXPECTED)) {
    expect(roles).toContain(`stag-${name}`);
    expect(byName(name).role).toMatch(/^\$\{aws_iam_role\..*\.arn\}$/);
  }
});

test("every regional function has a log group with the environment's retention, created before it", () => {
  const groups = Object.fromEntries(
    resourcesOf(json, "aws_cloudwatch_log_group").map(([id, group]) => [group.name as string, { id, group }]),
  );
  for (const name of REGIONAL) {
    const entry = groups[`/aws/lambda/stag-${name}`];
    expect(entry).toBeDefined();
    expect(entry.group.retention_in_days).toBe(staging.logRetentionDays);
    expect(byName(name).depends_on).toContain(`aws_cloudwatch_log_group.${entry.id}`);
  }
});

test("the edge function is published in us-east-1 without tracing, layers or environment", () => {
  const edge = byName("CloudfrontMiddleware");
  expect(edge.provider).toBe("aws.us_east_1");
  expect(edge.publish).toBe(true);
  expect(edge.tracing_config).toBeUndefined();
  expect(edge.layers).toBeUndefined();
  expect(edge.environment).toBeUndefined();
  const edgeGroups = resourcesOf(json, "aws_cloudwatch_log_group").filter(
    ([, g]) => g.name === "/aws/lambda/us-east-1.stag-CloudfrontMiddleware",
  );
  expect(edgeGroups.map(([, g]) => g.provider ?? "aws").sort()).toEqual(["aws", "aws.us_east_1"]);
});

test("the 17 regional functions trace with X-Ray; all but StartFileUpload carry ADOT and its telemetry environment", () => {
  for (const name of REGIONAL) {
    expect(byName(name).tracing_config).toEqual({ mode: "Active" });
    expect(variables(name)).toMatchObject({
      LOG_LEVEL: "DEBUG",
      ENVIRONMENT: "staging",
      NODE_OPTIONS: "--no-deprecation",
      DSQL_REGION: "us-west-2",
    });
    if (name === "StartFileUpload") {
      // No room for ADOT next to the download layers (250 MB unzipped), so no dead OTEL variables either.
      expect(Object.keys(variables(name)).filter((k) => /^(OTEL|OPENTELEMETRY)_/.test(k))).toEqual([]);
      expect((byName(name).layers as string[]).join()).not.toMatch(/aws-otel/);
      continue;
    }
    expect(variables(name)).toMatchObject({ OTEL_SERVICE_NAME: `stag-${name}` });
    const arch = byName(name).architectures as string[];
    const adot = arch[0] === "arm64" ? "arm64" : "amd64";
    expect(byName(name).layers).toContain(
      `arn:aws:lambda:us-west-2:901920570463:layer:aws-otel-nodejs-${adot}-ver-1-30-2:1`,
    );
  }
});

test("StartFileUpload gets the four download layers, 10 GB of /tmp and staging's 2 reserved executions", () => {
  const fn = byName("StartFileUpload");
  expect(fn.ephemeral_storage).toEqual({ size: 10240 });
  expect(fn.reserved_concurrent_executions).toBe(2);
  const layers = resourcesOf(json, "aws_lambda_layer_version").map(([, l]) => l);
  expect(layers.map((l) => l.layer_name).sort()).toEqual(
    ["stag-bgutil-pot-provider", "stag-deno-runtime", "stag-ffmpeg", "stag-yt-dlp"].sort(),
  );
  for (const layer of layers) expect(layer.compatible_architectures).toEqual(["x86_64"]);
  expect((fn.layers as string[]).length).toBe(4);
  // The declared sizes the lambda-package-limits rule adds up (layers.ts), within Lambda's 250 MB.
  const declared = (fn["//"] as { declared_unzipped_mb: { code: number; layers: Record<string, number> } })
    .declared_unzipped_mb;
  expect(Object.keys(declared.layers).sort()).toEqual(
    ["bgutil-pot-provider", "deno-runtime", "ffmpeg", "yt-dlp"].sort(),
  );
  expect(declared.layers["deno-runtime"]).toBe(138);
  expect(declared.code + Object.values(declared.layers).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(250);
});

test("DSQL role names follow lambda_<snake_name>, admin for migrations, none without database access", () => {
  expect(variables("ListFiles").DSQL_ROLE_NAME).toBe("lambda_list_files");
  expect(variables("ApiGatewayAuthorizer").DSQL_ROLE_NAME).toBe("lambda_api_gateway_authorizer");
  expect(variables("S3ObjectCreated").DSQL_ROLE_NAME).toBe("lambda_s3_object_created");
  expect(variables("MigrateDSQL").DSQL_ROLE_NAME).toBe("admin");
  expect(variables("DeviceEvent").DSQL_ROLE_NAME).toBeUndefined();
  expect(variables("UserSubscribe").DSQL_ROLE_NAME).toBeUndefined();
});

test("APPLICATION_URL is derived from the configured stage, not hard-coded", () => {
  expect(variables("LoginUser").APPLICATION_URL).toMatch(
    new RegExp(
      `^https://\\$\\{aws_api_gateway_rest_api\\.[^}]+\\.id\\}\\.execute-api\\.us-west-2\\.amazonaws\\.com/staging$`,
    ),
  );
  expect(variables("PruneDevices").APNS_HOST).toBe("api.sandbox.push.apple.com");
});

test("the migration runs at apply time, once per release, through the aws_lambda_invocation resource", () => {
  const [[, migration]] = resourcesOf(json, "aws_lambda_invocation");
  expect(migration.triggers).toEqual({ release: "unreleased" });
  expect(migration.function_name).toMatch(/MigrateDSQL/);
  expect(json.data?.aws_lambda_invocation).toBeUndefined();
  expect(Object.keys(json.data ?? {})).toEqual(["sops_file"]);
});

test("without a release, the plan is refused with a clear message", () => {
  const [, guard] = resourcesOf(json, "terraform_data").find(([, r]) =>
    /release\/guard\/guard$/.test(pathOf(r)),
  )!;
  expect(pathOf(guard)).toMatch(/release\/guard\/guard$/);
  const [pre] = (guard.lifecycle as { precondition: Array<{ condition: string; error_message: string }> })
    .precondition;
  expect(pre.condition).toMatch(/!= "unreleased"/);
  expect(pre.error_message).toMatch(/MEDIA_DOWNLOADER_RELEASE/);
});
