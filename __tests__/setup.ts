import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";

// Each test file gets its own temporary directory, removed when the file is done: cdktf's Testing.app()
// makes a cdktf.outdir.* per call and never removes it. Done through TMPDIR (spawned commands inherit it)
// so this file need not load cdktf, which most suites never use. Jest gives the suite its own copy of
// process.env, which node's os.tmpdir() never reads, so os.tmpdir itself follows the suite's TMPDIR too.
const realTmpdir = os.tmpdir;
const fileTmp = mkdtempSync(join(realTmpdir(), "test-file-"));
const previous = process.env.TMPDIR;
process.env.TMPDIR = fileTmp;
os.tmpdir = () => fileTmp;
afterAll(() => {
  os.tmpdir = realTmpdir;
  process.env.TMPDIR = previous;
  rmSync(fileTmp, { recursive: true, force: true });
});
