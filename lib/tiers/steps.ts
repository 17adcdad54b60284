import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { changedFiles, ESLINT_FILE } from "./changed";
import {
  countJestRun,
  type CheckName,
  type CheckResult,
  type JestReport,
  type JestRun,
  type TierSteps,
} from "./runner";
import { assignTiers, findTestFiles, type Tier } from "./tiers";

export interface StepOptions {
  readonly root: string;
  /** "changed": lint only the files changed since the last commit (the inner loop); "all": every file (CI). */
  readonly lint: "changed" | "all";
  /** Extra jest arguments (test path patterns). */
  readonly jestArgs?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** The real steps: npm scripts for the checks, the repository's jest for the tiers, output to the terminal. */
export function realSteps(options: StepOptions): TierSteps {
  const env = options.env ?? process.env;
  const run = (command: string, args: readonly string[]): SpawnSyncReturns<string> =>
    spawnSync(command, args, { cwd: options.root, env, stdio: "inherit", encoding: "utf8" });
  let assignment: ReturnType<typeof assignTiers> | undefined;

  const lint = (): CheckResult => {
    if (options.lint === "all")
      return { ok: run(npm, ["run", "-s", "lint"]).status === 0, detail: "all files" };
    const changed = changedFiles(options.root);
    if (!changed)
      return {
        ok: run(npm, ["run", "-s", "lint"]).status === 0,
        detail: "all files: git cannot list changes",
      };
    if (changed.length === 0) return { ok: true, detail: "no changed files" };
    const code = changed.filter((f) => ESLINT_FILE.test(f));
    const eslint = code.length === 0 || run(npm, ["run", "-s", "lint:code", "--", ...code]).status === 0;
    const prettier = run(npm, ["run", "-s", "lint:format", "--", ...changed]).status === 0;
    return { ok: eslint && prettier, detail: `${changed.length} changed files` };
  };

  return {
    files(tier: Tier) {
      assignment ??= assignTiers(findTestFiles(options.root));
      return assignment.byTier.get(tier.name) ?? [];
    },
    check(name: CheckName): CheckResult {
      if (name === "lint") return lint();
      return { ok: run(npm, ["run", "-s", "typecheck"]).status === 0, detail: "whole tree" };
    },
    jest(tier: Tier): JestRun {
      const dir = mkdtempSync(join(tmpdir(), "tier-report-"));
      const output = join(dir, "report.json");
      try {
        const result = run(process.execPath, [
          join(options.root, "node_modules", "jest", "bin", "jest.js"),
          "--selectProjects",
          tier.name,
          "--json",
          `--outputFile=${output}`,
          // With path patterns, a tier none of them matches has nothing to run, which is not a failure.
          ...(options.jestArgs?.length ? ["--passWithNoTests", ...options.jestArgs] : []),
        ]);
        let report: JestReport | undefined;
        try {
          report = JSON.parse(readFileSync(output, "utf8")) as JestReport;
        } catch {
          report = undefined;
        }
        return countJestRun(report, result.status);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    now: () => performance.now() / 1000,
    print: (line: string) => process.stdout.write(`${line}\n`),
  };
}
