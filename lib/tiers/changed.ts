import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * The files a person changed since the last commit (staged, unstaged and untracked, deleted ones left
 * out), repository-relative: what the quick tier lints in the inner loop. Committed files were linted by
 * CI (`npm test` lints every file). Undefined when git cannot tell (no git, not a repository): lint all.
 */
export function changedFiles(root: string): string[] | undefined {
  const status = spawnSync("git", ["status", "--porcelain=v1", "-z", "--untracked-files=all"], {
    cwd: root,
    encoding: "utf8",
  });
  if (status.status !== 0 || status.error) return undefined;
  return parsePorcelain(status.stdout).filter((file) => existsSync(join(root, file)));
}

/**
 * Paths from `git status --porcelain=v1 -z`: "XY path\0", and for renames and copies "XY new\0old\0"
 * (the new path counts, the old one is gone).
 */
export function parsePorcelain(output: string): string[] {
  const fields = output.split("\0");
  const files: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i];
    if (entry.length < 4) continue;
    const code = entry.slice(0, 2);
    files.push(entry.slice(3));
    if (code.includes("R") || code.includes("C")) i++;
  }
  return [...new Set(files)].sort();
}

/** Files eslint checks (eslint.config.mjs covers JavaScript and TypeScript). */
export const ESLINT_FILE = /\.(ts|cts|mts|js|cjs|mjs)$/;
