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
