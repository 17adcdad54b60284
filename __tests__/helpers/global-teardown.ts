import { rmSync } from "node:fs";
import temporaryFilesTeardown from "../temp-files/global-teardown";
import { SYNTH_DIR_ENV } from "./synth-cache";

/** Removes the run's synth cache, then fails the run if a test left other temporary files behind. */
export default function globalTeardown(): void {
  const dir = process.env[SYNTH_DIR_ENV];
  if (dir) rmSync(dir, { recursive: true, force: true });
  temporaryFilesTeardown();
}
