import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { changedFiles, parsePorcelain } from "../../lib/tiers/changed";

test("parsePorcelain: modified, added and untracked paths; a rename counts by its new path", () => {
  const output = [
    " M lib/a.ts",
    "A  lib/b.ts",
    "?? docs/new file.md",
    "R  lib/new.ts",
    "lib/old.ts",
    "",
  ].join("\0");
  expect(parsePorcelain(output)).toEqual(["docs/new file.md", "lib/a.ts", "lib/b.ts", "lib/new.ts"]);
});

describe("changedFiles in a git repository", () => {
  let dir: string;
  const git = (...args: string[]) =>
    spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
      cwd: dir,
      encoding: "utf8",
    });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "changed-"));
    git("init", "-q");
    for (const f of ["kept.ts", "edited.ts", "deleted.ts"]) writeFileSync(join(dir, f), "export {};\n");
    git("add", ".");
    git("commit", "-qm", "base");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("a clean tree has no changed files", () => {
    expect(changedFiles(dir)).toEqual([]);
  });

  test("edited, staged and new files are listed; deleted ones are not (nothing to lint)", () => {
    writeFileSync(join(dir, "edited.ts"), "export const x = 1;\n");
    writeFileSync(join(dir, "staged.md"), "# new\n");
    git("add", "staged.md");
    writeFileSync(join(dir, "untracked.yml"), "a: 1\n");
    unlinkSync(join(dir, "deleted.ts"));
    expect(changedFiles(dir)).toEqual(["edited.ts", "staged.md", "untracked.yml"]);
  });

  test("outside a repository, undefined (the quick tier then lints every file)", () => {
    const plain = mkdtempSync(join(tmpdir(), "not-a-repo-"));
    try {
      expect(changedFiles(plain)).toBeUndefined();
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
