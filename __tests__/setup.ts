import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";

Testing.setupJest();

// Testing.app() makes a cdktf.outdir.* temporary directory per call and never removes it: give the apps
// of this test file one folder, removed when the file is done.
const appDirs = mkdtempSync(join(tmpdir(), "cdktf-test-apps-"));
const testingApp = Testing.app.bind(Testing);
Testing.app = (options = {}) =>
  testingApp({ outdir: mkdtempSync(join(appDirs, "cdktf.outdir.")), ...options });
afterAll(() => rmSync(appDirs, { recursive: true, force: true }));
