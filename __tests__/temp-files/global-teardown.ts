import { rmSync } from "node:fs";
import { leftovers, RUN_TMPDIR_ENV } from "./run-tmpdir";

/** Fails the run when a test left temporary files behind (each test removes what it creates). */
export default function globalTeardown(): void {
  const dir = process.env[RUN_TMPDIR_ENV];
  if (!dir) return;
  const left = leftovers(dir);
  rmSync(dir, { recursive: true, force: true });
  if (left.length > 0) {
    throw new Error(
      `the tests left ${left.length} temporary file(s) behind (removed now; clean up in the test that creates them): ${left.join(", ")}`,
    );
  }
}
