import { existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";

/**
 * Runs `synthesize` into a fresh temporary directory beside `outdir`, then swaps it into place, so a
 * failed synth leaves the previous output untouched and never a half-written one.
 */
export function synthesizeAtomically(outdir: string, synthesize: (tmpdir: string) => void): void {
  const target = resolve(outdir);
  const tmpdir = mkdtempSync(`${resolve(dirname(target), basename(target))}.tmp-`);
  try {
    synthesize(tmpdir);
    const previous = `${tmpdir}.old`;
    if (existsSync(target)) renameSync(target, previous);
    renameSync(tmpdir, target);
    rmSync(previous, { recursive: true, force: true });
  } catch (error) {
    rmSync(tmpdir, { recursive: true, force: true });
    throw error;
  }
}
