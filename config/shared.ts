import type { EnvironmentConfigInput } from "./schema";

/**
 * Settings that are identical in every environment today. They live here once; an environment file
 * spreads them and sets only what differs, so the environment files hold every difference.
 */
const ACCOUNT_ID = "123456789012";
const REGION = "us-west-2";
const STATE_BUCKET = "lifegames-media-downloader-tfstate";
/** First token of the account-level names the bootstrap stack creates (config/bootstrap.ts). */
export const BOOTSTRAP_NAME_PREFIX = "lifegames";

type Shared = Pick<EnvironmentConfigInput, "aws" | "cdn" | "defaultFile" | "artifacts">;

/** The shared settings of `environment`, as fresh objects (an environment may change its copy). */
export function shared(environment: string): Shared {
  return {
    aws: { accountId: ACCOUNT_ID, region: REGION, permissionsBoundary: permissionsBoundaryName(environment) },
    cdn: {
      corsAllowedOrigins: ["https://j0nathan-ll0yd.github.io", "https://jonathanlloyd.me"],
      geoAllowList: ["US"],
      mediaPriceClass: "PriceClass_100",
    },
    defaultFile: { key: "default-file.mp4", sizeBytes: 436743, contentType: "video/mp4" },
    artifacts: {
      bucket: "lifegames-media-downloader-artifacts",
      edgeBucket: "lifegames-media-downloader-artifacts-us-east-1",
    },
  };
}

/** The S3 state backend of an environment: one key each, S3 lockfile locking. */
export function stateBackend(environment: string): EnvironmentConfigInput["backend"] {
  return {
    bucket: STATE_BUCKET,
    key: `env/${environment}/terraform.tfstate`,
    region: REGION,
    useLockfile: true,
  };
}

/** API settings every environment shares. */
export const sharedApi = { executionLogging: "INFO", reservedClientIp: "203.0.113.10" } as const;

/** The permissions boundary the bootstrap creates for an environment's roles (in the bootstrap's namespace). */
export function permissionsBoundaryName(environment: string): string {
  return `${BOOTSTRAP_NAME_PREFIX}-MediaDownloader-${environment}-boundary`;
}
