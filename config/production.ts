import type { EnvironmentConfigInput } from "./schema";
import { ACCOUNT_ID, REGION, STATE_BUCKET, shared } from "./shared";

export const production: EnvironmentConfigInput = {
  environment: "production",
  prefix: "prod",
  aws: { accountId: ACCOUNT_ID, region: REGION },
  backend: {
    bucket: STATE_BUCKET,
    key: "env/production/terraform.tfstate",
    region: REGION,
    useLockfile: true,
  },
  logLevel: "INFO",
  logRetentionDays: 7,
  api: {
    ...shared.api,
    stageName: "prod",
    throttle: { burstLimit: 100, rateLimit: 50 },
    quota: { limit: 10000, period: "DAY" },
    ownsAccountSettings: false,
  },
  download: { reservedConcurrency: 10 },
  observability: { alarms: true, dashboard: false },
  deletionProtection: true,
  apns: { platform: "APNS", host: "api.push.apple.com", secretPath: "apns" },
  cdn: {
    ...shared.cdn,
    corsAllowedOrigins: [...shared.cdn.corsAllowedOrigins],
    geoAllowList: [...shared.cdn.geoAllowList],
  },
  defaultFile: { ...shared.defaultFile },
  artifacts: { ...shared.artifacts },
  secretsFile: "secrets/secrets.prod.enc.yaml",
};
