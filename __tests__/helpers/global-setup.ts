import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stackIds } from "./environments";
import { BOOTSTRAP_CACHE_ENTRY, synthBootstrapInProcess } from "./bootstrap";
import { SYNTH_DIR_ENV, writeCachedEntry } from "./synth-cache";
import { synthesizeInProcess } from "./synth";
import temporaryFilesSetup from "../temp-files/global-setup";

/** Synthesizes every configured stack and the bootstrap once for the whole run (see synth-cache.ts). */
export default function globalSetup(): void {
  // First: the private TMPDIR, so the synth cache below lives in it too.
  temporaryFilesSetup();
  // The AWS SDK warns once per process that its releases after January 2027 need Node 22; ours is pinned
  // (package.json) and runs on Node 20, so in the tests (workers and the commands they spawn) it is noise.
  // The variable is the SDK's own switch (@aws-sdk/core emitWarningIfUnsupportedVersion).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const dir = mkdtempSync(join(tmpdir(), "jest-synth-"));
  for (const id of stackIds()) writeCachedEntry(dir, id, () => synthesizeInProcess(id));
  writeCachedEntry(dir, BOOTSTRAP_CACHE_ENTRY, synthBootstrapInProcess);
  process.env[SYNTH_DIR_ENV] = dir;
}
