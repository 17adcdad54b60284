import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RUN_TMPDIR_ENV } from "./run-tmpdir";

/**
 * One private temporary directory per `jest` run, set as TMPDIR before the workers start, so everything
 * the tests and the commands they spawn create with os.tmpdir() lands there; global-teardown.ts fails the
 * run if anything is left in it.
 */
export default function globalSetup(): void {
  const dir = mkdtempSync(join(tmpdir(), "media-downloader-jest-"));
  process.env[RUN_TMPDIR_ENV] = dir;
  process.env.TMPDIR = dir;
}
