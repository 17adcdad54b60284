import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { UserError } from "../cli/cli";
import type { Mutation } from "./mutations";

/** What a mutation's test run showed. */
export type Outcome =
  /** A test other than a snapshot comparison failed (or a suite failed to load): the regression is caught. */
  | "killed"
  /** Only snapshot comparisons failed: a hurried `jest -u` would accept it. */
  | "snapshot-only"
  /** Every test passed. */
  | "survived"
  /** The mutation's text is not in its file (the list is out of date). */
  | "stale";

export interface MutationResult {
  readonly id: string;
  readonly outcome: Outcome;
  /** The failing tests that caught it (killed), or why it could not run (stale). */
  readonly detail: readonly string[];
}

/** The part of `jest --json` output the classification reads. */
export interface JestJson {
  readonly testResults: ReadonlyArray<{
    readonly name: string;
    readonly status?: string;
    readonly message?: string;
    readonly testExecError?: unknown;
    readonly assertionResults: ReadonlyArray<{
      readonly fullName: string;
      readonly status: string;
      readonly failureMessages: readonly string[];
    }>;
  }>;
}

/** The text after one mutation, or undefined when its `find` text is not there (exactly) as declared. */
export function applyMutation(
  source: string,
  mutation: Pick<Mutation, "find" | "replace" | "occurrence">,
): string | undefined {
  const positions: number[] = [];
  for (let at = source.indexOf(mutation.find); at !== -1; at = source.indexOf(mutation.find, at + 1)) {
    positions.push(at);
  }
  const wanted = mutation.occurrence ?? 1;
  if (mutation.occurrence === undefined && positions.length !== 1) return undefined;
  const at = positions[wanted - 1];
  if (at === undefined) return undefined;
  return source.slice(0, at) + mutation.replace + source.slice(at + mutation.find.length);
}

// A snapshot mismatch as jest reports it: the failing matcher is toMatchSnapshot / toMatchInlineSnapshot.
const SNAPSHOT_FAILURE = /expect\(received\)\.toMatch(Inline)?Snapshot\(|Snapshot name: `/;

/** Killed, snapshot-only or survived, from one `jest --json --ci` run of the mutation's tests. */
export function classify(report: JestJson): { outcome: Exclude<Outcome, "stale">; failures: string[] } {
  const caught: string[] = [];
  let snapshotFailures = 0;
  for (const suite of report.testResults) {
    const failed = suite.assertionResults.filter((a) => a.status === "failed");
    if (failed.length === 0 && (suite.testExecError || suite.status === "failed")) {
      // The suite did not run (a synth error at load time, a policy violation): that catches it too.
      caught.push(
        `${suite.name}: ${
          String(suite.message ?? "suite failed")
            .split("\n")
            .find((l) => l.trim())
            ?.trim() ?? ""
        }`,
      );
    }
    for (const assertion of failed) {
      const snapshotOnly =
        assertion.failureMessages.length > 0 &&
        assertion.failureMessages.every((m) => SNAPSHOT_FAILURE.test(m));
      if (snapshotOnly) snapshotFailures++;
      else caught.push(assertion.fullName);
    }
  }
  if (caught.length > 0) return { outcome: "killed", failures: caught };
  return { outcome: snapshotFailures > 0 ? "snapshot-only" : "survived", failures: [] };
}

/** The files to copy: tracked and untracked-but-not-ignored, as git sees the working tree. */
export function workingTreeFiles(repoRoot: string): string[] {
  const result = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`git ls-files failed in ${repoRoot}: ${result.stderr.trim()}`);
  return result.stdout.split("\0").filter((f) => f && f !== "node_modules");
}

/** A temporary copy of the working tree sharing the repository's node_modules (a symlink). */
export function createWorkspace(repoRoot: string): string {
  const dir = mkdtempSync(join(tmpdir(), "mutations-"));
  for (const file of workingTreeFiles(repoRoot)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      copyFileSync(join(repoRoot, file), join(dir, file));
    } catch {
      // Deleted in the working tree but still in the index: nothing to copy.
    }
  }
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** Runs the given test files with jest in `dir`; --ci so a snapshot is never written. */
export function runJest(dir: string, tests: readonly string[]): JestJson {
  const output = join(dir, ".mutation-report.json");
  rmSync(output, { force: true });
  // The run's temporary files stay inside the workspace (see jest-teardown.cjs).
  const runTmp = join(dir, ".mutation-tmp");
  rmSync(runTmp, { recursive: true, force: true });
  mkdirSync(runTmp);
  const run = spawnSync(
    process.execPath,
    [
      join(dir, "node_modules/jest/bin/jest.js"),
      "--ci",
      "--silent",
      "--json",
      `--outputFile=${output}`,
      `--globalTeardown=${join(__dirname, "jest-teardown.cjs")}`,
      "--runTestsByPath",
      ...tests,
    ],
    { cwd: dir, encoding: "utf8", env: { ...process.env, CI: "true", TMPDIR: runTmp } },
  );
  let text: string;
  try {
    text = readFileSync(output, "utf8");
  } catch {
    // Jest itself did not run (no install, a broken config): that is no verdict on the mutation.
    const why = `${run.error?.message ?? ""}\n${run.stderr ?? ""}`.trim().split("\n").slice(-3).join(" / ");
    throw new UserError(`jest wrote no report (exit ${String(run.status)}): ${why}`);
  }
  return JSON.parse(text) as JestJson;
}

/** Applies each mutation to the workspace in turn, runs its tests, and restores the file. */
export function runMutations(
  dir: string,
  mutations: readonly Mutation[],
  onResult: (result: MutationResult) => void = () => {},
  run: (dir: string, tests: readonly string[]) => JestJson = runJest,
): MutationResult[] {
  const results: MutationResult[] = [];
  for (const mutation of mutations) {
    const path = join(dir, mutation.file);
    let original: string;
    try {
      original = readFileSync(path, "utf8");
    } catch {
      original = "";
    }
    const mutated = applyMutation(original, mutation);
    let result: MutationResult;
    if (mutated === undefined) {
      result = {
        id: mutation.id,
        outcome: "stale",
        detail: [`${mutation.file}: ${JSON.stringify(mutation.find)} not found exactly as declared`],
      };
    } else {
      writeFileSync(path, mutated);
      try {
        const { outcome, failures } = classify(run(dir, mutation.tests));
        result = { id: mutation.id, outcome, detail: failures };
      } finally {
        writeFileSync(path, original);
      }
    }
    results.push(result);
    onResult(result);
  }
  return results;
}

/** One line per mutation and a closing count; survivors and snapshot-only ones are the findings. */
export function summarize(
  results: readonly MutationResult[],
  mutations: readonly Mutation[],
): { text: string; ok: boolean } {
  const byId = new Map(mutations.map((m) => [m.id, m]));
  const lines = results.map((r) => {
    const m = byId.get(r.id);
    const detail =
      r.outcome === "killed"
        ? `by ${r.detail[0]}${r.detail.length > 1 ? ` (+${r.detail.length - 1})` : ""}`
        : r.detail.join("; ");
    return `${r.outcome.padEnd(13)} ${r.id}: ${m?.property ?? ""}${detail ? ` — ${detail}` : ""}`;
  });
  const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  const ok = results.every((r) => r.outcome === "killed");
  lines.push(
    `${count("killed")} killed, ${count("snapshot-only")} caught only by snapshots, ${count("survived")} survived, ${count("stale")} stale`,
  );
  return { text: lines.join("\n"), ok };
}
