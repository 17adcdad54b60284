import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stackIds } from "./environments";
import { SYNTH_DIR_ENV, type CachedStack } from "./synth-cache";
import { synthesizeInProcess } from "./synth";
import temporaryFilesSetup from "../temp-files/global-setup";

/** Synthesizes every configured stack once for the whole run (see synth-cache.ts). */
export default function globalSetup(): void {
  // First: the private TMPDIR, so the synth cache below lives in it too.
  temporaryFilesSetup();
  const dir = mkdtempSync(join(tmpdir(), "jest-synth-"));
  for (const id of stackIds()) {
    let entry: CachedStack;
    try {
      entry = synthesizeInProcess(id);
    } catch (error) {
      // The suites that read this stack fail with the error; the others still run.
      entry = { error: (error as Error).message, stack: (error as Error).stack };
    }
    writeFileSync(join(dir, `${id}.json`), JSON.stringify(entry));
  }
  process.env[SYNTH_DIR_ENV] = dir;
}
