import type { EnvironmentConfigInput } from "./schema";
import { ACCOUNT_ID, REGION, STATE_BUCKET, shared } from "./shared";

export const staging: EnvironmentConfigInput = {
  environment: "staging",
  prefix: "stag",
  aws: { accountId: ACCOUNT_ID, region: REGION },
  backend: { bucket: STATE_BUCKET, key: "env/staging/terraform.tfstate", region: REGION, useLockfile: true },
  logLevel: "DEBUG",
  logRetentionDays: 3,
  api: {
    ...shared.api,
    stageName: "staging",
    throttle: { burstLimit: 20, rateLimit: 10 },
    quota: { limit: 1000, period: "DAY" },
    // Staging is applied first by the pipeline, so it owns the account-wide API Gateway logging role.
    ownsAccountSettings: true,
  },
  download: { reservedConcurrency: 2 },
  observability: { alarms: false, dashboard: false },
  deletionProtection: false,
  apns: { platform: "APNS_SANDBOX", host: "api.sandbox.push.apple.com", secretPath: "apns" },
  cdn: {
    ...shared.cdn,
    corsAllowedOrigins: [...shared.cdn.corsAllowedOrigins],
    geoAllowList: [...shared.cdn.geoAllowList],
  },
  defaultFile: { ...shared.defaultFile },
  artifacts: { ...shared.artifacts },
  secretsFile: "secrets/secrets.staging.enc.yaml",
};
