import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");

/** Runs one command-line entry point (`scripts/<script>`) as `npm run` does, from the repository root. */
export function runScript(script: string, args: readonly string[]) {
  return spawnSync(
    process.execPath,
    ["-r", "./lib/transpile/register.cjs", join(ROOT, "scripts", script), ...args],
    { cwd: ROOT, encoding: "utf8" },
  );
}
