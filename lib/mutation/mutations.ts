/**
 * The planted regressions `npm run test:mutations` applies, one at a time, each a one-line change to the
 * source. Each names the property it breaks and the test files that must catch it without the snapshots.
 * `find` must occur in `file` exactly once (or `occurrence` picks one); a mutation whose text is gone
 * reports as stale, so the list is kept in step with the code.
 */
export interface Mutation {
  readonly id: string;
  /** The property it breaks, as a reviewer would say it. */
  readonly property: string;
  /** Path relative to the repository root. */
  readonly file: string;
  readonly find: string;
  readonly replace: string;
  /** 1-based occurrence of `find` when it appears more than once. */
  readonly occurrence?: number;
  /** Jest test files (relative paths) that must fail. */
  readonly tests: readonly string[];
}

const SETTINGS = "__tests__/media-downloader/environment-values.test.ts";
const SECURITY = "__tests__/media-downloader/security.test.ts";
const STACKS = "__tests__/stacks/stacks.test.ts";
const DATA = "__tests__/media-downloader/data-and-messaging.test.ts";
const API = "__tests__/media-downloader/api.test.ts";
const FUNCTIONS = "__tests__/media-downloader/functions.test.ts";
const WORKFLOWS = "__tests__/workflows/workflows.test.ts";
const PIPELINE = "__tests__/pipeline/environments.test.ts";
const PIPELINE_ADD = "__tests__/pipeline/add-environment.cli.test.ts";

export const MUTATIONS: readonly Mutation[] = [
  // Per-environment values (WORKLOAD.md section 1, docs/configuration.md).
  {
    id: "prod-reserved-concurrency",
    property: "production runs 10 concurrent downloads",
    file: "config/production.ts",
    find: "download: { reservedConcurrency: 10 }",
    replace: "download: { reservedConcurrency: 5 }",
    tests: [SETTINGS, STACKS],
  },
  {
    id: "staging-reserved-concurrency",
    property: "staging runs 2 concurrent downloads",
    file: "config/staging.ts",
    find: "download: { reservedConcurrency: 2 }",
    replace: "download: { reservedConcurrency: 3 }",
    tests: [SETTINGS, FUNCTIONS, STACKS],
  },
  {
    id: "prod-log-retention",
    property: "production keeps logs 7 days",
    file: "config/production.ts",
    find: "logRetentionDays: 7,",
    replace: "logRetentionDays: 14,",
    tests: [SECURITY, STACKS],
  },
  {
    id: "staging-log-level",
    property: "staging logs at DEBUG",
    file: "config/staging.ts",
    find: 'logLevel: "DEBUG",',
    replace: 'logLevel: "INFO",',
    tests: [SETTINGS, FUNCTIONS, STACKS],
  },
  {
    id: "prod-throttle",
    property: "production's usage plan bursts to 100",
    file: "config/production.ts",
    find: "throttle: { burstLimit: 100, rateLimit: 50 }",
    replace: "throttle: { burstLimit: 200, rateLimit: 50 }",
    tests: [SETTINGS, STACKS],
  },
  {
    id: "prod-quota",
    property: "production allows 10000 requests a day",
    file: "config/production.ts",
    find: 'quota: { limit: 10000, period: "DAY" }',
    replace: 'quota: { limit: 1000, period: "DAY" }',
    tests: [SETTINGS, STACKS],
  },
  {
    id: "prod-stage",
    property: "production's stage is prod",
    file: "config/production.ts",
    find: 'stageName: "prod",',
    replace: 'stageName: "production",',
    tests: [SETTINGS, STACKS],
  },
  {
    id: "prod-alarms",
    property: "production has its 13 alarms",
    file: "config/production.ts",
    find: "alarms: true,",
    replace: "alarms: false,",
    tests: [SETTINGS, STACKS],
  },
  {
    id: "prod-apns",
    property: "production pushes through APNS, not the sandbox",
    file: "config/production.ts",
    find: 'platform: "APNS", host: "api.push.apple.com"',
    replace: 'platform: "APNS_SANDBOX", host: "api.push.apple.com"',
    tests: [SETTINGS, STACKS],
  },
  {
    id: "staging-state-key",
    property: "each environment keeps its own state key",
    file: "config/shared.ts",
    find: "key: `env/${environment}/terraform.tfstate`,",
    replace: "key: `env/${environment}.tfstate`,",
    tests: [SECURITY, STACKS],
  },
  // Data protection.
  {
    id: "bucket-force-destroy",
    property: "a protected bucket is never force-destroyed",
    file: "media-downloader/storage/media-bucket.ts",
    find: "forceDestroy: !props.protect,",
    replace: "forceDestroy: true,",
    tests: [SECURITY],
  },
  {
    id: "table-deletion-protection",
    property: "production's table has deletion protection",
    file: "media-downloader/storage/idempotency-table.ts",
    find: "deletionProtectionEnabled: props.protect,",
    replace: "deletionProtectionEnabled: false,",
    tests: [SECURITY],
  },
  {
    id: "bucket-versioning",
    property: "the media bucket is versioned",
    file: "media-downloader/storage/media-bucket.ts",
    find: 'versioningConfiguration: { status: "Enabled" }',
    replace: 'versioningConfiguration: { status: "Suspended" }',
    tests: [SECURITY, DATA],
  },
  {
    id: "dlq-retention",
    property: "dead-letter queues keep messages 14 days",
    file: "media-downloader/messaging/queue-with-dead-letter.ts",
    find: "messageRetentionSeconds: 14 * DAY,",
    replace: "messageRetentionSeconds: 4 * DAY,",
    tests: [SECURITY, DATA],
  },
  // Security.
  {
    id: "public-access-block",
    property: "every bucket blocks public policies",
    file: "media-downloader/storage/private-bucket.ts",
    find: "blockPublicPolicy: true,",
    replace: "blockPublicPolicy: false,",
    tests: [SECURITY, DATA],
  },
  {
    id: "bucket-encryption",
    property: "the bucket encrypts with bucket keys",
    file: "media-downloader/storage/media-bucket.ts",
    find: "bucketKeyEnabled: true",
    replace: "bucketKeyEnabled: false",
    tests: [SECURITY],
  },
  {
    id: "queue-encryption",
    property: "every queue is encrypted",
    file: "media-downloader/messaging/queue-with-dead-letter.ts",
    find: "sqsManagedSseEnabled: true,",
    replace: "sqsManagedSseEnabled: false,",
    occurrence: 2,
    tests: [SECURITY],
  },
  {
    id: "state-encryption",
    property: "the state is encrypted",
    file: "stacks/media-downloader-stack.ts",
    find: "encrypt: true,",
    replace: "encrypt: false,",
    tests: [SECURITY, STACKS],
  },
  {
    id: "oac-signing",
    property: "CloudFront signs every request to the bucket",
    file: "media-downloader/cdn/media-distribution.ts",
    find: 'signingBehavior: "always",',
    replace: 'signingBehavior: "no-override",',
    tests: [SECURITY],
  },
  {
    id: "bucket-policy-condition",
    property: "only the media distribution may read the bucket",
    file: "media-downloader/storage/media-bucket.ts",
    find: 'Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },',
    replace: 'Condition: { StringLike: { "AWS:SourceArn": distributionArn } },',
    tests: [SECURITY],
  },
  {
    id: "api-gateway-trust",
    property: "only the authorizer's role trusts API Gateway",
    file: "media-downloader/functions/regional-functions.ts",
    find: 'extraTrust: spec.invokedByApiGatewayRole ? ["apigateway.amazonaws.com"] : undefined,',
    replace: 'extraTrust: ["apigateway.amazonaws.com"],',
    tests: [SECURITY, API],
  },
  {
    id: "edge-trust",
    property: "the edge function's role trusts Lambda@Edge",
    file: "media-downloader/functions/edge-function.ts",
    find: 'extraTrust: ["edgelambda.amazonaws.com"],',
    replace: "extraTrust: [],",
    tests: [SECURITY],
  },
  {
    id: "data-trace",
    property: "API logs never record bodies",
    file: "media-downloader/api/rest-api.ts",
    find: "dataTraceEnabled: false",
    replace: "dataTraceEnabled: true",
    tests: [SECURITY, API],
  },
  {
    id: "secrets-file-path",
    property: "each stack reads its own SOPS file",
    file: "stacks/environment-secrets.ts",
    find: "sourceFile: `\\${path.root}/../../../${config.secretsFile}`,",
    replace: "sourceFile: `\\${path.root}/../../${config.secretsFile}`,",
    tests: [SECURITY, STACKS],
  },
  {
    id: "sops-mac-check",
    property: "a tampered SOPS file fails its MAC check",
    file: "lib/sops/sops-crypto.ts",
    find: "return x.length === y.length && timingSafeEqual(x, y);",
    replace: "return x.length === y.length;",
    tests: ["__tests__/secrets/sops-crypto.test.ts", "__tests__/secrets/check.test.ts"],
  },
  {
    id: "push-queue-visibility",
    property: "the push queue's visibility is 6x its consumer's timeout",
    file: "media-downloader/index.ts",
    find: "visibilityTimeoutSeconds: 180,",
    replace: "visibilityTimeoutSeconds: 60,",
    tests: [DATA],
  },
  // Workflow gates.
  {
    id: "production-gate",
    property:
      "a later deploy stage (production) starts only after the earlier one applied and tested the release",
    file: ".github/workflows/deploy.yml",
    find: "    needs: [synth, stage-1]",
    replace: "    needs: [synth]",
    tests: [WORKFLOWS, PIPELINE_ADD],
  },
  {
    id: "staging-integration-tests",
    property:
      "an environment another one's promotion needs (staging) runs the integration tests and records the pass",
    file: "lib/pipeline/environments.ts",
    find: '"integration-tests": needed.has(environment),',
    replace: '"integration-tests": false,',
    tests: [WORKFLOWS, PIPELINE],
  },
  {
    id: "pipefail",
    property:
      "every workflow runs its steps with bash -eo pipefail (a failed apply piped to jq is not green)",
    file: ".github/workflows/_deploy.yml",
    find: "    shell: bash",
    replace: "    shell: sh",
    tests: [WORKFLOWS],
  },
  {
    id: "pr-plan-substituted",
    property: "pull requests plan a gated environment (production) with substituted secrets, never its key",
    file: "lib/pipeline/environments.ts",
    find: 'secrets: isGated(input, environment) ? "substituted" : "real",',
    replace: 'secrets: "real",',
    tests: [WORKFLOWS, PIPELINE],
  },
];
