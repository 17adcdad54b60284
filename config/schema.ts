import { z } from "zod";

/** Regions this app may deploy to: the AWS commercial partition. */
export const AWS_REGIONS = [
  "af-south-1",
  "ap-east-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
] as const;

/** The values CloudWatch Logs accepts for a log group's retention. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The one message shape: "missing (expected X)" when absent, else "expected X, got <the value>". */
export function expected(what: string, input: unknown): string {
  return input === undefined
    ? `missing (expected ${what})`
    : `expected ${what}, got ${JSON.stringify(input)}`;
}

/** "A, B or C". */
const list = (values: readonly (string | number)[]) =>
  values.length < 2 ? values.join("") : `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;

const oneOf = <const T extends readonly [string, ...string[]]>(values: T, what: string = list(values)) =>
  z.enum(values, { error: (issue) => expected(what, issue.input) });

const matching = (pattern: RegExp, what: string) =>
  z.string({ error: (issue) => expected(what, issue.input) }).regex(pattern, {
    error: (issue) => expected(what, issue.input),
  });

const wholeNumber = (min: number) => {
  const error = (issue: { input?: unknown }) => expected(`a whole number from ${min}`, issue.input);
  return z.number({ error }).int({ error }).min(min, { error });
};

/**
 * Messages for the checks without their own (booleans, lists, IP addresses): zod's defaults, but with
 * "missing" for an absent field and the wrong value echoed. Passed to safeParse, below the schema's own.
 */
export function configErrorMap(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === "invalid_type") {
    const what = { boolean: "true or false", array: "a list", object: "a mapping" }[issue.expected as string];
    return expected(what ?? `a ${issue.expected}`, issue.input);
  }
  if (issue.code === "too_small" && issue.origin === "array") {
    return `expected at least ${issue.minimum} item(s), got ${JSON.stringify(issue.input)}`;
  }
  if (issue.code === "too_small" && issue.origin === "number") {
    return expected(`a number ${issue.inclusive ? "from" : "above"} ${issue.minimum}`, issue.input);
  }
  if (issue.code === "invalid_format" && issue.format === "ipv4") {
    return expected("an IPv4 address such as 203.0.113.10", issue.input);
  }
  return undefined;
}

/** An alerts-topic subscriber: an email address or an HTTPS URL, by SNS protocol. */
const alertEndpoint = z.discriminatedUnion("protocol", [
  z.strictObject({
    protocol: z.literal("email"),
    endpoint: z.email({ error: (issue) => expected("an email address", issue.input) }),
  }),
  z.strictObject({
    protocol: z.literal("https"),
    endpoint: z.url({ protocol: /^https$/, error: (issue) => expected("an https:// URL", issue.input) }),
  }),
]);

const region = oneOf(AWS_REGIONS, "an AWS region such as us-west-2");
const bucketName = matching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name");
const httpOrigin = matching(
  /^https?:\/\/[^/\s]+$/,
  "an origin such as https://example.com (scheme and host, no path)",
);

const RETENTION = `a retention CloudWatch Logs accepts (${list(LOG_RETENTION_DAYS)} days)`;
const retention = z
  .number({ error: (issue) => expected(RETENTION, issue.input) })
  .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
    error: (issue) => expected(RETENTION, issue.input),
  });

export const environmentConfigSchema = z.strictObject({
  /** Environment name: the Environment tag, the ENVIRONMENT variable of every function. */
  environment: matching(/^[a-z][a-z0-9-]{1,20}$/, "a lower-case name such as staging"),
  /**
   * The environment's stack id: cdktf.out/stacks/<stack>, `cdktf deploy <stack>`. StagingStack and ProdStack
   * own theirs; any other id gets a plain MediaDownloaderStack (stacks/registry.ts).
   */
  stack: matching(/^[a-z][a-z0-9-]{0,40}-stack$/, "a lower-case id ending in -stack, such as dev-stack"),
  /** Prefix of every resource name, so environments can share one account. */
  prefix: matching(/^[a-z][a-z0-9]{1,7}$/, "2-8 lower-case letters or digits, such as stag"),
  aws: z.strictObject({
    accountId: matching(/^\d{12}$/, "a 12-digit AWS account id"),
    region,
    /**
     * Name of the permissions boundary (a managed policy the bootstrap stack creates) attached to every
     * role this environment's stack creates; the deploy role may create roles only with it.
     */
    permissionsBoundary: matching(/^[\w+=,.@-]{1,128}$/, "an IAM policy name"),
    /** Role the provider assumes; omit to use the caller's credentials (OIDC in CI). */
    assumeRoleArn: matching(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/, "an IAM role ARN").optional(),
  }),
  /** S3 state backend: one key per environment, S3 lockfile locking. */
  backend: z.strictObject({
    bucket: bucketName,
    key: matching(/^[\w./-]+\.tfstate$/, "a key ending in .tfstate"),
    region,
    useLockfile: z.boolean(),
  }),
  logLevel: oneOf(["DEBUG", "INFO", "WARN", "ERROR"]),
  logRetentionDays: retention,
  api: z.strictObject({
    stageName: matching(/^[A-Za-z0-9_]{1,64}$/, "1-64 letters, digits or _"),
    throttle: z.strictObject({ burstLimit: wholeNumber(0), rateLimit: z.number().nonnegative() }),
    quota: z.strictObject({ limit: wholeNumber(1), period: oneOf(["DAY", "WEEK", "MONTH"]) }),
    /** Execution logging level; request/response bodies (data trace) are never logged. */
    executionLogging: oneOf(["OFF", "ERROR", "INFO"]),
    /** Client IP that the authorizer treats as reserved (health checks). */
    reservedClientIp: z.ipv4(),
  }),
  /**
   * StartFileUpload's reserved concurrency; the download queue's event source caps its pollers at the same
   * value, and SQS event sources accept no maximum concurrency below 2.
   */
  download: z.strictObject({ reservedConcurrency: wholeNumber(2) }),
  observability: z
    .strictObject({
      alarms: z.boolean(),
      dashboard: z.boolean(),
      /** Who the alerts topic notifies: email addresses (confirmed by their owner) or HTTPS endpoints. */
      alertEndpoints: z.array(alertEndpoint).default([]),
    })
    .superRefine((value, ctx) => {
      if (value.alarms && value.alertEndpoints.length === 0)
        ctx.addIssue({
          code: "custom",
          path: ["alertEndpoints"],
          input: value.alertEndpoints,
          message: "expected at least one alert endpoint (email or https) where alarms are on, got []",
        });
    }),
  /** Deletion protection and prevent_destroy on the data stores (DSQL cluster, media bucket). */
  deletionProtection: z.boolean(),
  apns: z.strictObject({
    platform: oneOf(["APNS", "APNS_SANDBOX"]),
    host: matching(/^[a-z0-9.-]+$/, "a host name"),
    /** Key path of the APNS credentials in the SOPS file, e.g. `apns` for `apns.team`. */
    secretPath: matching(/^[A-Za-z][\w]*(\.[A-Za-z][\w]*)*$/, "a dotted key path such as apns"),
  }),
  cdn: z.strictObject({
    corsAllowedOrigins: z.array(httpOrigin),
    /** ISO 3166-1 alpha-2 countries allowed by both distributions. */
    geoAllowList: z.array(matching(/^[A-Z]{2}$/, "an ISO country code such as US")).min(1),
    mediaPriceClass: oneOf(["PriceClass_100", "PriceClass_200", "PriceClass_All"]),
  }),
  defaultFile: z.strictObject({
    key: matching(/^\S+$/, "an S3 object key"),
    sizeBytes: wholeNumber(1),
    contentType: matching(/^[\w.+-]+\/[\w.+-]+$/, "a MIME type such as video/mp4"),
  }),
  /** Build artifacts: Lambda zips and layers live under releases/<release>/ in this bucket. */
  artifacts: z.strictObject({
    bucket: bucketName,
    /** Copy of the artifacts in us-east-1: Lambda reads code only from a bucket in the function's region. */
    edgeBucket: bucketName,
    /** The release to deploy, from config/releases.ts; MEDIA_DOWNLOADER_RELEASE overrides it. Unset: synth works, deploy refuses. */
    release: matching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "a release id such as a git SHA").optional(),
  }),
  /**
   * Names this environment keeps instead of the generated `<prefix>-<base>` (or the bucket's global name),
   * by base name, e.g. `{ "media-files": "my-legacy-bucket" }`: for adopted resources whose rename would
   * force a replacement. None is needed today (see docs/adoption.md).
   */
  naming: z
    .strictObject({
      overrides: z.record(
        z.string().regex(/^[A-Za-z][\w-]*$/, "expected a base name such as media-files"),
        z.string().regex(/^[\w./-]{1,255}$/, "expected a resource name"),
      ),
    })
    .optional(),
  /** SOPS file holding this environment's secrets, relative to the repository root. */
  secretsFile: matching(/^secrets\/[\w.-]+\.enc\.yaml$/, "secrets/<name>.enc.yaml"),
});

export type EnvironmentConfigInput = z.input<typeof environmentConfigSchema>;
export type EnvironmentConfig = z.output<typeof environmentConfigSchema>;

const githubName = (what: string) =>
  z
    .string({
      error: (issue) => (issue.input === undefined ? `missing (expected the GitHub ${what})` : undefined),
    })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, `expected a GitHub ${what} such as j0nathan-ll0yd`);

/** The account-level bootstrap (config/bootstrap.ts): one stack per AWS account that environments use. */
export const bootstrapConfigSchema = z.strictObject({
  /** The GitHub repository whose workflows assume the roles (OIDC subjects `repo:<owner>/<name>:...`). */
  repository: z.strictObject({ owner: githubName("owner"), name: githubName("repository name") }),
  /**
   * First token of every account-level name (roles, boundary, KMS aliases). It must differ from every
   * environment prefix, so no environment's `<prefix>-*` wildcard reaches the bootstrap's own resources.
   */
  namePrefix: z.string().regex(/^[a-z][a-z0-9]{1,15}$/, "expected 2-16 lower-case letters or digits"),
  /** The accounts, by id: every environment's aws.accountId needs an entry. */
  accounts: z
    .record(
      z.string().regex(/^\d{12}$/, "expected a 12-digit AWS account id"),
      z.strictObject({
        /** Key of the bootstrap's own state in the account's state bucket. */
        stateKey: z.string().regex(/^[\w./-]+\.tfstate$/, "expected a key ending in .tfstate"),
        /**
         * Regions where the bootstrap owns the API Gateway account setting (the CloudWatch role API
         * Gateway writes execution logs with): one per account and region, so it outlives every environment.
         */
        apiGatewayAccountRegions: z.array(region),
      }),
    )
    .refine((accounts) => Object.keys(accounts).length > 0, "expected at least one account"),
  /**
   * The GitHub environments whose jobs plan each environment, by environment name: that environment's
   * read-only plan role trusts exactly these (OIDC subject `repo:<owner>/<name>:environment:<name>`), no
   * branch or pull request subject. An environment not listed gets one, `<environment>-plan`.
   */
  planEnvironments: z.record(
    z.string(),
    z
      .array(
        z
          .string()
          .regex(
            /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/,
            "expected a GitHub environment name such as staging-plan",
          ),
      )
      .min(1, "expected at least one GitHub environment"),
  ),
});

export type BootstrapConfigInput = z.input<typeof bootstrapConfigSchema>;
export type BootstrapConfigValues = z.output<typeof bootstrapConfigSchema>;
