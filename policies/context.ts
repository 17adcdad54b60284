import type { PolicyContext } from "./types";

/** The project's constant tags; Environment comes from the context. */
export const PROJECT_TAG = "media-downloader";
export const MANAGED_BY_TAG = "cdktf";

/** The tags every taggable resource must end up with (through the providers' default_tags). */
/**
 * Tag keys a construct adds to the required ones on its own resources: the DSQL cluster's Name (the
 * console shows clusters by id only). Grants that restrict the tag keys of a create allow these too.
 */
export const CONSTRUCT_TAG_KEYS: readonly string[] = ["Name"];

export function requiredTags(context: PolicyContext): Readonly<Record<string, string>> {
  return { Environment: context.environment, Project: PROJECT_TAG, ManagedBy: MANAGED_BY_TAG };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * The policy context of a stack: its public `config` (as on MediaDownloaderStack), read by shape so
 * fixtures and other stacks need no import of the workload. Undefined for a stack without one.
 */
export function policyContextOf(stack: unknown): PolicyContext | undefined {
  const config = isRecord(stack) ? stack.config : undefined;
  if (!isRecord(config)) return undefined;
  const { environment, prefix, deletionProtection } = config;
  if (
    typeof environment !== "string" ||
    typeof prefix !== "string" ||
    typeof deletionProtection !== "boolean"
  )
    return undefined;
  // An environment config names its boundary policy (aws.permissionsBoundary); a context names the ARN.
  const aws = isRecord(config.aws) ? config.aws : {};
  const permissionsBoundary =
    typeof aws.accountId === "string" && typeof aws.permissionsBoundary === "string"
      ? `arn:aws:iam::${aws.accountId}:policy/${aws.permissionsBoundary}`
      : typeof config.permissionsBoundary === "string"
        ? config.permissionsBoundary
        : undefined;
  return { environment, prefix, deletionProtection, ...(permissionsBoundary ? { permissionsBoundary } : {}) };
}
