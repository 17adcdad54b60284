import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Each test file gets its own temporary directory, removed when the file is done: cdktf's Testing.app()
// makes a cdktf.outdir.* per call and never removes it. Done through TMPDIR (os.tmpdir() reads it on every
// call, and spawned commands inherit it) so this file need not load cdktf, which most suites never use.
const fileTmp = mkdtempSync(join(tmpdir(), "test-file-"));
const previous = process.env.TMPDIR;
process.env.TMPDIR = fileTmp;
afterAll(() => {
  process.env.TMPDIR = previous;
  rmSync(fileTmp, { recursive: true, force: true });
});
