import { spawn } from "node:child_process";
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

/** Runs a command to its end; its output goes to the terminal, or is collected and returned. */
function spawned(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; capture: boolean },
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: options.capture ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", (error) => resolve({ status: null, output: `${command}: ${error.message}\n` }));
    child.on("close", (status) => resolve({ status, output }));
  });
}

/**
 * The real steps: npm scripts for the checks (output collected: they run alongside jest), the
 * repository's jest for the tiers (output to the terminal).
 */
export function realSteps(options: StepOptions): TierSteps {
  const env = options.env ?? process.env;
  const npmRun = (args: readonly string[]) =>
    spawned(npm, ["run", "-s", ...args], { cwd: options.root, env, capture: true });
  let assignment: ReturnType<typeof assignTiers> | undefined;

  /** Runs the commands one after the other; ok when all are. */
  const sequence = async (detail: string, commands: readonly (readonly string[])[]) => {
    const started = performance.now();
    let ok = true;
    let output = "";
    for (const args of commands) {
      const result = await npmRun(args);
      ok &&= result.status === 0;
      output += result.output;
    }
    return { ok, detail, output, seconds: (performance.now() - started) / 1000 };
  };

  const lint = (): Promise<CheckResult> => {
    if (options.lint === "all") return sequence("all files", [["lint"]]);
    const changed = changedFiles(options.root);
    if (!changed) return sequence("all files: git cannot list changes", [["lint"]]);
    if (changed.length === 0)
      return Promise.resolve({ ok: true, detail: "no changed files", output: "", seconds: 0 });
    const code = changed.filter((f) => ESLINT_FILE.test(f));
    return sequence(`${changed.length} changed files`, [
      ...(code.length ? [["lint:code", "--", ...code]] : []),
      ["lint:format", "--", ...changed],
    ]);
  };

  return {
    files(tier: Tier) {
      assignment ??= assignTiers(findTestFiles(options.root));
      return assignment.byTier.get(tier.name) ?? [];
    },
    check(name: CheckName): Promise<CheckResult> {
      if (name === "lint") return lint();
      return sequence("whole tree", [["typecheck"]]);
    },
    async jest(tier: Tier): Promise<JestRun> {
      const dir = mkdtempSync(join(tmpdir(), "tier-report-"));
      const output = join(dir, "report.json");
      try {
        const result = await spawned(
          process.execPath,
          [
            join(options.root, "node_modules", "jest", "bin", "jest.js"),
            "--selectProjects",
            tier.name,
            "--json",
            `--outputFile=${output}`,
            // With path patterns, a tier none of them matches has nothing to run, which is not a failure.
            ...(options.jestArgs?.length ? ["--passWithNoTests", ...options.jestArgs] : []),
          ],
          { cwd: options.root, env, capture: false },
        );
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
