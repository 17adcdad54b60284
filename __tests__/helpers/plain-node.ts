import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");

/**
 * Calls `exportName` of a repository module with JSON arguments in a plain Node process, and returns its
 * JSON result (symbols as their description, e.g. "Symbol(absent)").
 *
 * Why: code runs about three times slower inside jest's vm context than in plain Node (one environment
 * stack synthesized in-process, 2026-12-06: about 300 ms in a test file, 100 ms in Node), so a test that
 * synthesizes a stack twenty times computes it here and asserts on the result in jest.
 */
export function inPlainNode<T>(
  modulePath: string,
  exportName: string,
  args: readonly unknown[] = [],
  env: NodeJS.ProcessEnv = process.env,
): T {
  const dir = mkdtempSync(join(tmpdir(), "plain-node-"));
  try {
    const output = join(dir, "result.json");
    const result = spawnSync(
      process.execPath,
      [
        "-r",
        join(ROOT, "lib", "transpile", "register.cjs"),
        join(__dirname, "plain-node-child.ts"),
        resolve(ROOT, modulePath),
        exportName,
        JSON.stringify(args),
        output,
      ],
      { encoding: "utf8", env },
    );
    if (result.status !== 0)
      throw new Error(
        `${modulePath} ${exportName} in plain Node exited ${String(result.status)}:\n${result.stderr}`,
      );
    return JSON.parse(readFileSync(output, "utf8")) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
