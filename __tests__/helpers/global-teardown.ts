import { rmSync } from "node:fs";
import { SYNTH_DIR_ENV } from "./synth-cache";

/** Removes the run's synth cache. */
export default function globalTeardown(): void {
  const dir = process.env[SYNTH_DIR_ENV];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
