import type { EnvironmentConfigInput } from "./schema";
import { shared, sharedApi, stateBackend } from "./shared";

export const staging: EnvironmentConfigInput = {
  ...shared("staging"),
  environment: "staging",
  stack: "staging-stack",
  prefix: "stag",
  backend: stateBackend("staging"),
  logLevel: "DEBUG",
  logRetentionDays: 3,
  api: {
    ...sharedApi,
    stageName: "staging",
    throttle: { burstLimit: 20, rateLimit: 10 },
    quota: { limit: 1000, period: "DAY" },
  },
  download: { reservedConcurrency: 2 },
  observability: { alarms: false, dashboard: false },
  deletionProtection: false,
  apns: { platform: "APNS_SANDBOX", host: "api.sandbox.push.apple.com", secretPath: "apns" },
  secretsFile: "secrets/secrets.staging.enc.yaml",
};
