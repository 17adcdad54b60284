import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  countJestRun,
  parseTotalLine,
  runTiers,
  tierFailed,
  type CheckName,
  type JestReport,
  type JestRun,
  type TierSteps,
} from "../../lib/tiers/runner";
import { TIERS, type Tier } from "../../lib/tiers/tiers";

const ROOT = resolve(__dirname, "../..");

interface Script {
  files?: Record<string, number>;
  checks?: Partial<Record<CheckName, boolean>>;
  jest?: Record<string, Partial<JestRun>>;
}

/**
 * Steps that run nothing: each tier has its files, checks and jest result from the script; 2 s each. A
 * check ends a turn of the event loop after it starts (and is recorded as done then), a failing one
 * printing "<name> says no".
 */
function fakeSteps(script: Script) {
  const calls: string[] = [];
  const lines: string[] = [];
  let clock = 0;
  const steps: TierSteps = {
    files: (tier: Tier) =>
      Array.from({ length: script.files?.[tier.name] ?? 1 }, (_, i) => `${tier.name}-${i}`),
    check: async (name) => {
      calls.push(name);
      clock += 2;
      await new Promise((resolve) => setImmediate(resolve));
      calls.push(`${name} done`);
      const ok = script.checks?.[name] ?? true;
      return { ok, detail: "all files", seconds: 2, output: ok ? "" : `${name} says no\n` };
    },
    jest: (tier) => {
      calls.push(`jest ${tier.name}`);
      clock += 2;
      return Promise.resolve({
        suites: 1,
        passed: 3,
        failed: 0,
        skipped: 0,
        problems: [],
        ...script.jest?.[tier.name],
      });
    },
    now: () => clock,
    print: (line) => lines.push(...line.split("\n")),
  };
  return { steps, calls, lines };
}

describe("runTiers", () => {
  test("runs quick (lint and typecheck alongside jest), commands, engine, then emulated, a line per tier and the total", async () => {
    const { steps, calls, lines } = fakeSteps({ jest: { engine: { passed: 5, skipped: 1 } } });
    const outcomes = await runTiers(TIERS, steps);
    // jest starts before the checks end, and the next tier only after them.
    expect(calls).toEqual([
      "lint",
      "typecheck",
      "jest quick",
      "lint done",
      "typecheck done",
      "jest commands",
      "jest engine",
      "jest emulated",
    ]);
    expect(outcomes.map(tierFailed)).toEqual([false, false, false, false]);
    const summary = lines.slice(lines.indexOf("── tiers") + 1);
    expect(summary).toEqual([
      "tier quick:     3 passed, 0 failed in 1 file, 6.0 s; lint ok (all files, 2.0 s), typecheck ok (all files, 2.0 s)",
      "tier commands:  3 passed, 0 failed in 1 file, 2.0 s",
      "tier engine:    5 passed, 0 failed, 1 skipped in 1 file, 2.0 s",
      "tier emulated:  3 passed, 0 failed in 1 file, 2.0 s",
      "test-total: passed=14 failed=0 skipped=1 seconds=12.0",
    ]);
  });

  test("a failing quick tier stops the run: the later tiers are not run, and say why", async () => {
    const { steps, calls, lines } = fakeSteps({
      jest: { quick: { passed: 2, failed: 1 } },
      files: { engine: 6 },
    });
    const outcomes = await runTiers(TIERS, steps);
    expect(calls).toEqual(["lint", "typecheck", "jest quick", "lint done", "typecheck done"]);
    expect(outcomes.map((o) => o.state)).toEqual(["ran", "not run", "not run", "not run"]);
    expect(lines).toContain("tier engine:    not run (quick failed; 6 test files skipped)");
    expect(lines[lines.length - 1]).toBe("test-total: passed=2 failed=1 skipped=0 seconds=6.0");
  });

  test("a failed lint fails the quick tier, its tests still run, its output follows jest's, and it counts as one failure", async () => {
    const { steps, calls, lines } = fakeSteps({ checks: { lint: false } });
    const outcomes = await runTiers(TIERS, steps);
    expect(calls).toEqual(["lint", "typecheck", "jest quick", "lint done", "typecheck done"]);
    expect(tierFailed(outcomes[0])).toBe(true);
    const tierLine =
      "tier quick:     3 passed, 0 failed in 1 file, 6.0 s; lint FAILED (all files, 2.0 s), typecheck ok (all files, 2.0 s)";
    expect(lines.slice(0, lines.indexOf(tierLine) + 1)).toEqual([
      "",
      "── tier quick: lint, typecheck, unit, synth, policies, intent and security tests, snapshots",
      "",
      "── lint",
      "lint says no",
      tierLine,
    ]);
    expect(parseTotalLine(lines.join("\n"))).toEqual({ passed: 3, failed: 1, skipped: 0 });
  });

  test("a failing commands or engine tier does not stop the later tiers", async () => {
    const { steps, calls } = fakeSteps({ jest: { commands: { failed: 1 }, engine: { failed: 2 } } });
    const outcomes = await runTiers(TIERS, steps);
    expect(calls).toContain("jest emulated");
    expect(outcomes.map(tierFailed)).toEqual([false, true, true, false]);
  });

  test("a tier without test files is one clear line, not a failure, and jest is not started for it", async () => {
    const { steps, calls, lines } = fakeSteps({ files: { emulated: 0 } });
    const outcomes = await runTiers(TIERS, steps);
    expect(calls).not.toContain("jest emulated");
    expect(tierFailed(outcomes[3])).toBe(false);
    expect(lines).toContain(
      "tier emulated:  no test files yet (__tests__/emulated/**/*.test.ts), nothing to run; 0.0 s",
    );
  });
});

describe("countJestRun", () => {
  const report = (over: Partial<JestReport> = {}): JestReport => ({
    numPassedTests: 10,
    numFailedTests: 0,
    numPendingTests: 1,
    numTodoTests: 1,
    numRuntimeErrorTestSuites: 0,
    numTotalTestSuites: 4,
    testResults: [],
    ...over,
  });

  test("passed, failed and skipped (pending and todo) from the report", () => {
    expect(countJestRun(report({ numFailedTests: 2 }), 1)).toEqual({
      suites: 4,
      passed: 10,
      failed: 2,
      skipped: 2,
      problems: [],
    });
  });

  test("a suite that did not run counts as a failure and is named", () => {
    const run = countJestRun(
      report({
        numRuntimeErrorTestSuites: 1,
        testResults: [
          { name: "/r/__tests__/a.test.ts", testExecError: { message: "Cannot find module 'x'\nmore" } },
        ],
      }),
      1,
    );
    expect(run.failed).toBe(1);
    expect(run.problems).toEqual(["/r/__tests__/a.test.ts: the suite did not run (Cannot find module 'x')"]);
  });

  test("jest failing with every test passed (a global teardown) is a failure", () => {
    const run = countJestRun(report(), 1);
    expect(run.failed).toBe(1);
    expect(run.problems[0]).toMatch(/^jest exited 1 with no failed test/);
  });

  test("no report at all is a failure", () => {
    expect(countJestRun(undefined, null)).toMatchObject({ passed: 0, failed: 1 });
  });
});

describe(".ci/run", () => {
  /** Runs .ci/run with a stand-in npm on PATH that prints `output` for `npm test` and exits `status`. */
  function ciRun(output: string, status: number) {
    const bin = mkdtempSync(join(tmpdir(), "ci-run-"));
    try {
      const npm = join(bin, "npm");
      writeFileSync(
        npm,
        `#!/usr/bin/env bash\n[[ "$1" == test ]] || exit 0\ncat <<'OUT'\n${output}\nOUT\nexit ${status}\n`,
      );
      chmodSync(npm, 0o755);
      return spawnSync("bash", [join(ROOT, ".ci/run")], {
        encoding: "utf8",
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      });
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  }

  test("ends with the runner's total as 'N passed, N failed' and passes its exit status on", () => {
    const ok = ciRun("Tests: 1 passed\ntest-total: passed=649 failed=0 skipped=2 seconds=120.0", 0);
    expect(ok.status).toBe(0);
    expect(ok.stdout.trimEnd().split("\n").pop()).toBe("649 passed, 0 failed");
    const failing = ciRun("test-total: passed=600 failed=3 skipped=0 seconds=90.0", 1);
    expect(failing.status).toBe(1);
    expect(failing.stdout.trimEnd().split("\n").pop()).toBe("600 passed, 3 failed");
  });

  test("a run that printed no total fails, whatever jest's own lines say", () => {
    const crashed = ciRun("Tests: 649 passed, 649 total", 0);
    expect(crashed.status).toBe(1);
    expect(crashed.stdout.trimEnd().split("\n").pop()).toBe("0 passed, 1 failed");
    expect(crashed.stderr).toContain("npm test printed no test-total line");
  });
});

test("parseTotalLine reads the last total line", () => {
  expect(
    parseTotalLine(
      "x\ntest-total: passed=1 failed=0 skipped=0 seconds=1.0\ntest-total: passed=5 failed=2 skipped=1 seconds=3.0\n",
    ),
  ).toEqual({
    passed: 5,
    failed: 2,
    skipped: 1,
  });
  expect(parseTotalLine("Tests: 5 passed")).toBeUndefined();
});
