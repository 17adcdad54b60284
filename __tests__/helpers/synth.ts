import { Testing } from "cdktf";
import { MediaDownloaderStack } from "../../stacks/media-downloader-stack";
import { environmentOfStack } from "./environments";

export { environments } from "./environments";

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

/** Builds a stack as main.ts does: the shared stack shell with the environment's config, under its id. */
function build(id: string) {
  const hit = cache.get(id);
  if (hit) return hit;
  const app = Testing.app();
  const stack = new MediaDownloaderStack(app, id, environmentOfStack(id).config);
  const entry = { stack, json: toJson(stack) };
  cache.set(id, entry);
  return entry;
}

/** Resolved Terraform JSON including cdktf's "//" metadata (construct paths). */
function toJson(stack: MediaDownloaderStack): StackJson {
  return JSON.parse(JSON.stringify(stack.toTerraform())) as StackJson;
}

/** Synthesizes a stack the way main.ts does and returns its JSON (memoized per stack id). */
export function synthStack(id: string): StackJson {
  return build(id).json;
}

/** The synthesized JSON as `cdktf synth` writes it, without metadata: what snapshots record. */
export function synthForSnapshot(id: string): unknown {
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
