import type { Tier } from "./tiers";

/**
 * `npm test`: the tiers one after the other (lib/tiers/tiers.ts), a line per tier with its counts and
 * time, and one machine-readable total line that .ci/run reads. A tier's checks (lint, typecheck) run
 * alongside its jest: each is one process on one core, and jest's workers leave room while they start and
 * while the last files finish (quick tier on 2 cores, 2026-12-06: 18.6 s with the checks first, 17.0 s
 * alongside them). The side effects (commands, clock, output) come in through `TierSteps`, so the order,
 * the stop rule and the counting are tested without running jest.
 */

export type CheckName = Tier["checks"][number];

/** Test counts of one jest run. `failed` includes suites that could not run and a jest that failed alone. */
export interface Counts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export interface CheckResult {
  readonly ok: boolean;
  /** What the check covered, e.g. "3 changed files" or "all files". */
  readonly detail: string;
  /** Its wall time: the check times itself, as it runs alongside jest. */
  readonly seconds: number;
  /** What it printed (held back while jest writes to the terminal, printed after it). */
  readonly output: string;
}

export interface JestRun extends Counts {
  /** Test files jest ran. */
  readonly suites: number;
  /** Why jest failed beyond failed tests (a suite that did not run, a failed global teardown), if it did. */
  readonly problems: readonly string[];
}

export interface TierSteps {
  /** The tier's test files (repository-relative). */
  files(tier: Tier): readonly string[];
  /** Runs one check, its output captured. */
  check(name: CheckName): Promise<CheckResult>;
  /** Runs the tier's jest project (its output goes straight to the terminal). */
  jest(tier: Tier): Promise<JestRun>;
  /** Seconds, monotonic. */
  now(): number;
  print(line: string): void;
}

export interface TierOutcome extends Counts {
  readonly tier: string;
  /** "ran", "empty" (no test files), "not run" (an earlier tier stopped the run). */
  readonly state: "ran" | "empty" | "not run";
  readonly files: number;
  readonly seconds: number;
  /** Checks that ran, and failed ones. */
  readonly checks: readonly { readonly name: CheckName; readonly result: CheckResult }[];
  readonly problems: readonly string[];
  /** The tier that stopped the run, for "not run". */
  readonly stoppedBy?: string;
}

/** A tier failed when a check failed, a test failed, or jest reported a problem. */
export function tierFailed(outcome: TierOutcome): boolean {
  return outcome.failed > 0 || outcome.checks.some((c) => !c.result.ok) || outcome.problems.length > 0;
}

/** The subset of jest's `--json` report (AggregatedResult) the counts read. */
export interface JestReport {
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: number;
  readonly numTodoTests: number;
  readonly numRuntimeErrorTestSuites: number;
  readonly numTotalTestSuites: number;
  readonly testResults?: readonly {
    readonly name: string;
    readonly testExecError?: { readonly message?: string } | null;
  }[];
}

/**
 * Counts from jest's report and exit status. A suite that failed to run (syntax error, failing
 * beforeAll import) has no failed tests of its own, so each counts as one failure; so does a jest that
 * exited non-zero with nothing failed (a failed global setup or teardown), or one that wrote no report.
 */
export function countJestRun(report: JestReport | undefined, exitStatus: number | null): JestRun {
  if (!report)
    return {
      suites: 0,
      passed: 0,
      failed: 1,
      skipped: 0,
      problems: [`jest wrote no report (exit ${String(exitStatus)}); its output is above`],
    };
  const problems = (report.testResults ?? [])
    .filter((r) => r.testExecError)
    .map((r) => `${r.name}: the suite did not run (${(r.testExecError?.message ?? "").split("\n")[0]})`);
  let failed = report.numFailedTests + report.numRuntimeErrorTestSuites;
  if (exitStatus !== 0 && failed === 0) {
    problems.push(
      `jest exited ${String(exitStatus)} with no failed test (global setup or teardown); its output is above`,
    );
    failed = 1;
  }
  return {
    suites: report.numTotalTestSuites,
    passed: report.numPassedTests,
    failed,
    skipped: report.numPendingTests + report.numTodoTests,
    problems,
  };
}

async function runTier(tier: Tier, steps: TierSteps): Promise<TierOutcome> {
  const started = steps.now();
  const files = steps.files(tier);
  const checking = Promise.all(tier.checks.map(async (name) => ({ name, result: await steps.check(name) })));
  const run = files.length === 0 ? undefined : await steps.jest(tier);
  const checks = await checking;
  for (const { name, result } of checks)
    if (result.output.trim()) steps.print(`\n── ${name}\n${result.output.trimEnd()}`);
  const seconds = steps.now() - started;
  if (!run)
    return {
      tier: tier.name,
      state: "empty",
      files: 0,
      passed: 0,
      failed: 0,
      skipped: 0,
      checks,
      problems: [],
      seconds,
    };
  return {
    tier: tier.name,
    state: "ran",
    files: run.suites,
    passed: run.passed,
    failed: run.failed,
    skipped: run.skipped,
    checks,
    problems: run.problems,
    seconds,
  };
}

/**
 * Runs the tiers in order, each tier's checks alongside its jest. A failing tier whose `stopsOnFailure` is
 * set (quick) ends the run: the later tiers are reported as not run. Prints each tier's line as it
 * finishes (after the output of its checks), then the summary.
 */
export async function runTiers(tiers: readonly Tier[], steps: TierSteps): Promise<TierOutcome[]> {
  const outcomes: TierOutcome[] = [];
  let stoppedBy: string | undefined;
  for (const tier of tiers) {
    if (stoppedBy) {
      outcomes.push({
        tier: tier.name,
        state: "not run",
        files: steps.files(tier).length,
        passed: 0,
        failed: 0,
        skipped: 0,
        checks: [],
        problems: [],
        seconds: 0,
        stoppedBy,
      });
      continue;
    }
    steps.print(`\n── tier ${tier.name}: ${tier.description}`);
    const outcome = await runTier(tier, steps);
    outcomes.push(outcome);
    steps.print(tierLine(outcome, tier));
    if (tierFailed(outcome) && tier.stopsOnFailure) stoppedBy = tier.name;
  }
  for (const line of summary(outcomes, tiers)) steps.print(line);
  return outcomes;
}

function checksText(outcome: TierOutcome): string {
  return outcome.checks
    .map(
      (c) =>
        `${c.name} ${c.result.ok ? "ok" : "FAILED"} (${c.result.detail}, ${c.result.seconds.toFixed(1)} s)`,
    )
    .join(", ");
}

/** One line per tier: counts, files and time, the checks, and why it failed or did not run. */
export function tierLine(outcome: TierOutcome, tier: Tier): string {
  const name = `tier ${outcome.tier}:`.padEnd(15);
  const checks = outcome.checks.length ? `; ${checksText(outcome)}` : "";
  if (outcome.state === "not run")
    return `${name} not run (${outcome.stoppedBy} failed; ${outcome.files} test files skipped)`;
  if (outcome.state === "empty")
    return `${name} no test files yet (${tier.convention}), nothing to run; ${outcome.seconds.toFixed(1)} s${checks}`;
  const counts = `${outcome.passed} passed, ${outcome.failed} failed${outcome.skipped ? `, ${outcome.skipped} skipped` : ""}`;
  const problems = outcome.problems.length ? `\n${outcome.problems.map((p) => `  ${p}`).join("\n")}` : "";
  return `${name} ${counts} in ${outcome.files} ${outcome.files === 1 ? "file" : "files"}, ${outcome.seconds.toFixed(1)} s${checks}${problems}`;
}

/**
 * The summary: every tier's line again (jest's output between them is long), then the total as
 * `test-total: passed=N failed=N skipped=N seconds=S`, the line .ci/run reads. A failed check (lint,
 * typecheck) counts as one failure, so the total never says 0 failed when the run failed.
 */
export function summary(outcomes: readonly TierOutcome[], tiers: readonly Tier[]): string[] {
  const total = totals(outcomes);
  return [
    "",
    "── tiers",
    ...outcomes.map(
      (o) =>
        tierLine(
          o,
          tiers.find((t) => t.name === o.tier)!,
        ).split("\n")[0],
    ),
    `test-total: passed=${total.passed} failed=${total.failed} skipped=${total.skipped} seconds=${total.seconds.toFixed(1)}`,
  ];
}

export function totals(outcomes: readonly TierOutcome[]): Counts & { readonly seconds: number } {
  return outcomes.reduce(
    (sum, o) => ({
      passed: sum.passed + o.passed,
      failed: sum.failed + o.failed + o.checks.filter((c) => !c.result.ok).length,
      skipped: sum.skipped + o.skipped,
      seconds: sum.seconds + o.seconds,
    }),
    { passed: 0, failed: 0, skipped: 0, seconds: 0 },
  );
}

/** Reads the `test-total:` line back (.ci/run's side, and the runner's test). */
export function parseTotalLine(text: string): Counts | undefined {
  const lines = text.split("\n").filter((l) => l.startsWith("test-total: "));
  const last = lines[lines.length - 1];
  if (!last) return undefined;
  const field = (key: string) => Number(new RegExp(`\\b${key}=(\\d+)`).exec(last)?.[1]);
  const counts = { passed: field("passed"), failed: field("failed"), skipped: field("skipped") };
  return Object.values(counts).every(Number.isInteger) ? counts : undefined;
}
