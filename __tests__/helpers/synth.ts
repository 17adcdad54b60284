import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MediaDownloaderStack } from "../../stacks/media-downloader-stack";
import { environmentOfStack } from "./environments";
import { readCachedEntry, SYNTH_DIR_ENV } from "./synth-cache";

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

const cache = new Map<string, { json: StackJson; snapshot: unknown }>();

/**
 * Synthesizes a stack as main.ts does (the shared stack shell with the environment's config, under its
 * id): the resolved JSON with cdktf's "//" metadata, and the JSON `cdktf synth` writes (the snapshot form).
 * cdktf and the stacks load only here, so a test file reading the run's cache never pays for them.
 */
export function synthesizeInProcess(id: string): { json: StackJson; snapshot: unknown } {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the cache cannot serve */
  const { Testing } = require("cdktf") as typeof import("cdktf");
  const { MediaDownloaderStack: Stack } = require("../../stacks/media-downloader-stack") as {
    MediaDownloaderStack: typeof MediaDownloaderStack;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  // Testing.app() would leave a cdktf.outdir.* behind (the global setup runs outside any test file).
  const outdir = mkdtempSync(join(tmpdir(), "synth-in-process-"));
  try {
    const stack = new Stack(Testing.app({ outdir }), id, environmentOfStack(id).config);
    const json = JSON.parse(JSON.stringify(stack.toTerraform())) as StackJson;
    return { json, snapshot: JSON.parse(Testing.synth(stack)) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function load(id: string): { json: StackJson; snapshot: unknown } {
  const hit = cache.get(id);
  if (hit) return hit;
  const dir = process.env[SYNTH_DIR_ENV];
  let entry: { json: StackJson; snapshot: unknown };
  if (dir) {
    entry = readCachedEntry(dir, id) as { json: StackJson; snapshot: unknown };
  } else {
    entry = synthesizeInProcess(id);
  }
  cache.set(id, entry);
  return entry;
}

/** The synthesized JSON of a stack, with metadata (from the run's cache, else synthesized here). */
export function synthStack(id: string): StackJson {
  return load(id).json;
}

/** The synthesized JSON as `cdktf synth` writes it, without metadata: what snapshots record. */
export function synthForSnapshot(id: string): unknown {
  return load(id).snapshot;
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
