import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The per-run synth cache: jest's global setup synthesizes every stack (and the bootstrap) once into a
 * temporary directory named by this variable, one JSON file per entry, and the test files read it instead
 * of each synthesizing the stacks again in their own module registry. Global teardown removes the directory.
 */
export const SYNTH_DIR_ENV = "MEDIA_DOWNLOADER_TEST_SYNTH_DIR";

/** What the global setup writes per entry: the value, or why computing it failed. */
type CachedEntry = { readonly value: unknown } | { readonly error: string; readonly stack?: string };

/**
 * Computes one entry and writes it. A failure is written too: the suites that read the entry fail with
 * its error, the others still run.
 */
export function writeCachedEntry(dir: string, name: string, compute: () => unknown): void {
  let entry: CachedEntry;
  try {
    entry = { value: compute() };
  } catch (error) {
    entry = { error: (error as Error).message, stack: (error as Error).stack };
  }
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(entry));
}

/** One entry's value; an entry whose computation failed throws that error here, in the reading suite. */
export function readCachedEntry(dir: string, name: string): unknown {
  const cached = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as CachedEntry;
  if ("error" in cached) {
    const error = new Error(cached.error);
    if (cached.stack) error.stack = cached.stack;
    throw error;
  }
  return cached.value;
}
