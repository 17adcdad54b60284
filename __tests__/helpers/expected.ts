/**
 * What the user asked for, written down per environment: WORKLOAD.md section 1 (the reference's
 * per-environment settings) and the configuration fields (docs/configuration.md) (the fixes this project made: its own
 * stage per environment, APNS in production, one owner of the API Gateway account setting). Intent tests
 * compare the synthesized stacks with these values, never with the config object that produced them, so
 * a changed config value fails a test. Environments not listed here get the wiring checks only.
 */
export interface ExpectedEnvironment {
  readonly environment: string;
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  /** S3 backend: bucket and key (README: `env/<environment>/terraform.tfstate`). */
  readonly stateBucket: string;
  readonly stateKey: string;
  readonly logLevel: "DEBUG" | "INFO" | "WARN" | "ERROR";
  readonly logRetentionDays: number;
  readonly stageName: string;
  readonly throttle: { readonly burstLimit: number; readonly rateLimit: number };
  readonly dailyQuota: number;
  readonly startFileUploadReservedConcurrency: number;
  readonly alarms: boolean;
  readonly dashboard: boolean;
  readonly deletionProtection: boolean;
  readonly apnsPlatform: "APNS" | "APNS_SANDBOX";
  readonly apnsHost: string;
  readonly secretsFile: string;
}

const SHARED = {
  accountId: "123456789012",
  region: "us-west-2",
  stateBucket: "lifegames-media-downloader-tfstate",
  dashboard: false,
} as const;

export const EXPECTED: Readonly<Record<string, ExpectedEnvironment>> = {
  staging: {
    ...SHARED,
    environment: "staging",
    prefix: "stag",
    stateKey: "env/staging/terraform.tfstate",
    logLevel: "DEBUG",
    logRetentionDays: 3,
    stageName: "staging",
    throttle: { burstLimit: 20, rateLimit: 10 },
    dailyQuota: 1000,
    startFileUploadReservedConcurrency: 2,
    alarms: false,
    deletionProtection: false,
    apnsPlatform: "APNS_SANDBOX",
    apnsHost: "api.sandbox.push.apple.com",
    secretsFile: "secrets/secrets.staging.enc.yaml",
  },
  production: {
    ...SHARED,
    environment: "production",
    prefix: "prod",
    stateKey: "env/production/terraform.tfstate",
    logLevel: "INFO",
    logRetentionDays: 7,
    stageName: "prod",
    throttle: { burstLimit: 100, rateLimit: 50 },
    dailyQuota: 10000,
    startFileUploadReservedConcurrency: 10,
    alarms: true,
    deletionProtection: true,
    apnsPlatform: "APNS",
    apnsHost: "api.push.apple.com",
    secretsFile: "secrets/secrets.prod.enc.yaml",
  },
};

/** The written expectations of an environment, or undefined for one added since (wiring checks only). */
export function expectedFor(name: string): ExpectedEnvironment | undefined {
  return EXPECTED[name];
}
