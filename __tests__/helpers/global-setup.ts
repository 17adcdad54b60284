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
  // The AWS SDK warns once per process that its releases after January 2027 need Node 22; ours is pinned
  // (package.json) and runs on Node 20, so in the tests (workers and the commands they spawn) it is noise.
  // The variable is the SDK's own switch (@aws-sdk/core emitWarningIfUnsupportedVersion).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
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
