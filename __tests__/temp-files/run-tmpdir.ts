import { readdirSync } from "node:fs";

/** Names the run's private temporary directory (global-setup.ts), for the teardown check. */
export const RUN_TMPDIR_ENV = "MEDIA_DOWNLOADER_TEST_TMPDIR";

/** What the tests left in the run's temporary directory. */
export function leftovers(dir: string): string[] {
  return readdirSync(dir).sort();
}
