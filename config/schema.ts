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

const region = z.enum(AWS_REGIONS, {
  error: (issue) => `expected an AWS region such as us-west-2, got ${JSON.stringify(issue.input)}`,
});
const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const httpOrigin = z
  .string()
  .regex(/^https?:\/\/[^/\s]+$/, "expected an origin such as https://example.com (scheme and host, no path)");

/** An alerts-topic subscriber: an email address or an HTTPS URL, by SNS protocol. */
const alertEndpoint = z.discriminatedUnion("protocol", [
  z.strictObject({ protocol: z.literal("email"), endpoint: z.email("expected an email address") }),
  z.strictObject({
    protocol: z.literal("https"),
    endpoint: z.url({ protocol: /^https$/, error: "expected an https:// URL" }),
  }),
]);

const retention = z.number().refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
  error: (issue) =>
    `expected a retention CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(", ")}), got ${JSON.stringify(issue.input)}`,
});

export const environmentConfigSchema = z.strictObject({
  /** Environment name: the Environment tag, the ENVIRONMENT variable of every function. */
  environment: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/, "expected a lower-case name such as staging"),
  /** Prefix of every resource name, so environments can share one account. */
  prefix: z.string().regex(/^[a-z][a-z0-9]{1,7}$/, "expected 2-8 lower-case letters or digits, such as stag"),
  aws: z.strictObject({
    accountId: z.string().regex(/^\d{12}$/, "expected a 12-digit AWS account id"),
    region,
    /** Role the provider assumes; omit to use the caller's credentials (OIDC in CI). */
    assumeRoleArn: z
      .string()
      .regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/, "expected an IAM role ARN")
      .optional(),
  }),
  /** S3 state backend: one key per environment, S3 lockfile locking. */
  backend: z.strictObject({
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "expected an S3 bucket name"),
    key: z.string().regex(/^[\w./-]+\.tfstate$/, "expected a key ending in .tfstate"),
    region,
    useLockfile: z.boolean(),
  }),
  logLevel: z.enum(["DEBUG", "INFO", "WARN", "ERROR"], {
    error: (issue) => `expected DEBUG, INFO, WARN or ERROR, got ${JSON.stringify(issue.input)}`,
  }),
  logRetentionDays: retention,
  api: z.strictObject({
    stageName: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, "expected letters, digits or _"),
    throttle: z.strictObject({ burstLimit: nonNegativeInt, rateLimit: z.number().nonnegative() }),
    quota: z.strictObject({ limit: positiveInt, period: z.enum(["DAY", "WEEK", "MONTH"]) }),
    /** Execution logging level; request/response bodies (data trace) are never logged. */
    executionLogging: z.enum(["OFF", "ERROR", "INFO"]),
    /**
     * The regional API Gateway account setting (its CloudWatch role) is a singleton per account and
     * region: exactly one environment sharing an account may own it.
     */
    ownsAccountSettings: z.boolean(),
    /** Client IP that the authorizer treats as reserved (health checks). */
    reservedClientIp: z.ipv4(),
  }),
  /**
   * StartFileUpload's reserved concurrency; the download queue's event source caps its pollers at the same
   * value, and SQS event sources accept no maximum concurrency below 2.
   */
  download: z.strictObject({
    reservedConcurrency: z
      .number()
      .int()
      .min(2, "expected at least 2 (the SQS event source's minimum maximum_concurrency)"),
  }),
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
          message: "expected at least one alert endpoint (email or https) where alarms are on",
        });
    }),
  /** Deletion protection and prevent_destroy on the data stores (DSQL cluster, media bucket). */
  deletionProtection: z.boolean(),
  apns: z.strictObject({
    platform: z.enum(["APNS", "APNS_SANDBOX"]),
    host: z.string().regex(/^[a-z0-9.-]+$/, "expected a host name"),
    /** Key path of the APNS credentials in the SOPS file, e.g. `apns` for `apns.team`. */
    secretPath: z
      .string()
      .regex(/^[A-Za-z][\w]*(\.[A-Za-z][\w]*)*$/, "expected a dotted key path such as apns"),
  }),
  cdn: z.strictObject({
    corsAllowedOrigins: z.array(httpOrigin),
    /** ISO 3166-1 alpha-2 countries allowed by both distributions. */
    geoAllowList: z.array(z.string().regex(/^[A-Z]{2}$/, "expected an ISO country code such as US")).min(1),
    mediaPriceClass: z.enum(["PriceClass_100", "PriceClass_200", "PriceClass_All"]),
  }),
  defaultFile: z.strictObject({
    key: z.string().min(1),
    sizeBytes: positiveInt,
    contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, "expected a MIME type"),
  }),
  /** Build artifacts: Lambda zips and layers live under releases/<release>/ in this bucket. */
  artifacts: z.strictObject({
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "expected an S3 bucket name"),
    /** Copy of the artifacts in us-east-1: Lambda reads code only from a bucket in the function's region. */
    edgeBucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "expected an S3 bucket name"),
    /** The release to deploy; MEDIA_DOWNLOADER_RELEASE overrides it. Unset: synth works, deploy refuses. */
    release: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "expected a release id such as a git SHA")
      .optional(),
  }),
  /** SOPS file holding this environment's secrets, relative to the repository root. */
  secretsFile: z.string().regex(/^secrets\/[\w.-]+\.enc\.yaml$/, "expected secrets/<name>.enc.yaml"),
});

export type EnvironmentConfigInput = z.input<typeof environmentConfigSchema>;
export type EnvironmentConfig = z.output<typeof environmentConfigSchema>;
