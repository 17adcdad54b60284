import { Testing } from "cdktf";
import { loadEnvironments, type EnvironmentConfig } from "../../config";
import { MediaDownloaderStack } from "../../stacks/media-downloader-stack";
import { ProdStack } from "../../stacks/prod-stack";
import { StagingStack } from "../../stacks/staging-stack";

/** Synthesized Terraform JSON of one stack. */
export interface StackJson {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  provider: Record<string, Array<Record<string, unknown>>>;
  terraform: Record<string, unknown>;
  output: Record<string, { value: unknown; sensitive?: boolean }>;
  locals?: Record<string, unknown>;
}

const cache = new Map<string, { stack: MediaDownloaderStack; json: StackJson }>();

function withoutRelease<T>(body: () => T): T {
  const saved = process.env.MEDIA_DOWNLOADER_RELEASE;
  delete process.env.MEDIA_DOWNLOADER_RELEASE;
  try {
    return body();
  } finally {
    if (saved !== undefined) process.env.MEDIA_DOWNLOADER_RELEASE = saved;
  }
}

/** The committed environments, validated as the app does (without a release override). */
export function environments(): Record<"staging" | "production", EnvironmentConfig> {
  return withoutRelease(loadEnvironments);
}

function build(id: "staging-stack" | "prod-stack") {
  const hit = cache.get(id);
  if (hit) return hit;
  const envs = environments();
  const app = Testing.app();
  const stack =
    id === "staging-stack" ? new StagingStack(app, envs.staging) : new ProdStack(app, envs.production);
  const entry = { stack, json: toJson(stack) };
  cache.set(id, entry);
  return entry;
}

/** Resolved Terraform JSON including cdktf's "//" metadata (construct paths). */
function toJson(stack: MediaDownloaderStack): StackJson {
  return JSON.parse(JSON.stringify(stack.toTerraform())) as StackJson;
}

/** Synthesizes a stack the way main.ts does and returns its JSON (memoized per stack id). */
export function synthStack(id: "staging-stack" | "prod-stack"): StackJson {
  return build(id).json;
}

/** The synthesized JSON as `cdktf synth` writes it, without metadata: what snapshots record. */
export function synthForSnapshot(id: "staging-stack" | "prod-stack"): unknown {
  return JSON.parse(Testing.synth(build(id).stack));
}

/** All resources of one type, by logical id. */
export function resourcesOf(json: StackJson, type: string): Array<[string, Record<string, unknown>]> {
  return Object.entries(json.resource[type] ?? {});
}

/** The construct path cdktf records for a resource, e.g. staging-stack/media-downloader/functions/ListFiles/function. */
export function pathOf(resource: Record<string, unknown>): string {
  return ((resource["//"] as { metadata: { path: string } }).metadata.path as string) ?? "";
}

/** Counts resources by type. */
export function countByType(json: StackJson): Record<string, number> {
  return Object.fromEntries(
    Object.entries(json.resource).map(([type, byId]) => [type, Object.keys(byId).length]),
  );
}
