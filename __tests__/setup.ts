import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";

// Each test file gets its own temporary directory, removed when the file is done: cdktf's Testing.app()
// makes a cdktf.outdir.* per call and never removes it. Spawned commands get it through TMPDIR. Code in
// this file's sandbox gets it through os.tmpdir(), patched: the sandbox's process.env is jest's copy, so
// setting TMPDIR there does not reach Node's own os.tmpdir(), which reads the real environment. The test
// files of a worker run one at a time, so the patch is this file's alone until afterAll restores it.
const realTmpdir = os.tmpdir;
const fileTmp = mkdtempSync(join(realTmpdir(), "test-file-"));
const previous = process.env.TMPDIR;
process.env.TMPDIR = fileTmp;
(os as { tmpdir: () => string }).tmpdir = () => fileTmp;
afterAll(() => {
  (os as { tmpdir: () => string }).tmpdir = realTmpdir;
  process.env.TMPDIR = previous;
  rmSync(fileTmp, { recursive: true, force: true });
});

// cdktf records the whole stack of every token it creates (Lazy, creationStack: a plain object given to
// Error.captureStackTrace), only to print it if the token never resolves. Under jest, source-map-support
// maps every frame of each through the source maps: 3.2 of the quick tier's 19 CPU-seconds (a --cpu-prof
// profile, 2026-12-06). Those plain objects get V8's own format; Error stacks (failures) stay mapped.
const mappedStackTrace = Error.prepareStackTrace;
if (mappedStackTrace)
  Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]) =>
    error instanceof Error
      ? (mappedStackTrace(error, frames) as unknown)
      : `${String(error)}\n${frames.map((frame) => `    at ${String(frame)}`).join("\n")}`;
