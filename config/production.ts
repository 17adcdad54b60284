import type { EnvironmentConfigInput } from "./schema";
import { shared, sharedApi, stateBackend } from "./shared";

export const production: EnvironmentConfigInput = {
  ...shared("production"),
  environment: "production",
  stack: "prod-stack",
  prefix: "prod",
  backend: stateBackend("production"),
  logLevel: "INFO",
  logRetentionDays: 7,
  api: {
    ...sharedApi,
    stageName: "prod",
    throttle: { burstLimit: 100, rateLimit: 50 },
    quota: { limit: 10000, period: "DAY" },
  },
  download: { reservedConcurrency: 10 },
  observability: {
    alarms: true,
    dashboard: false,
    // The operator confirms the subscription from this mailbox (SNS sends the confirmation on apply).
    alertEndpoints: [{ protocol: "email", endpoint: "media-downloader-alerts@jonathanlloyd.me" }],
  },
  deletionProtection: true,
  apns: { platform: "APNS", host: "api.push.apple.com", secretPath: "apns" },
  secretsFile: "secrets/secrets.prod.enc.yaml",
};
