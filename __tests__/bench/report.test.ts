import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { formatMarkdown, REPORT_FILE, saveReport, table, type Comparison } from "../../lib/bench/report";

const ROOT = resolve(__dirname, "../..");

const comparison = (): Comparison => ({
  title: "Synth of both stacks",
  baseline: "stock",
  target: "at least 6x",
  variants: [
    {
      name: "ours",
      command: "npm run synth",
      samples: [1, 2, 3].map((seconds) => ({ seconds, peakMb: 100 })),
    },
    {
      name: "stock",
      command: "npx cdktf synth",
      samples: [10, 12, 14].map((seconds) => ({ seconds, peakMb: 300 })),
    },
  ],
});

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "bench-report-"));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

test("a table gives median, min/max, peak memory and the ratio against the baseline", () => {
  const text = table(comparison());
  // ours: median 2 s; stock: median 12 s, so ours is 6.00x faster.
  expect(text).toContain("| ours | `npm run synth` | 2.00 | 1.00 / 3.00 | 100 | 6.00 |");
  expect(text).toContain("| stock | `npx cdktf synth` | 12.00 | 10.00 / 14.00 | 300 | 1.00 |");
  expect(text).toContain("Target: at least 6x.");
});

test("the saved report is already prettier-formatted, and docs/benchmarks.md is left alone without --write", () => {
  const before = readFileSync(join(ROOT, REPORT_FILE), "utf8");
  const saved = saveReport(`# Benchmarks\n\n${table(comparison())}`, {
    repoRoot: ROOT,
    write: false,
    scratchDir: scratch,
  });
  expect(saved.path).toBe(join(scratch, "media-downloader-benchmarks.md"));
  const written = readFileSync(saved.path, "utf8");
  expect(written).toBe(saved.text);
  // Formatting it again with the repository's prettier configuration changes nothing.
  expect(formatMarkdown(written, ROOT)).toBe(written);
  expect(written).toContain("| ours    | `npm run synth`   | 2.00     | 1.00 / 3.00   | 100     | 6.00  |");
  expect(readFileSync(join(ROOT, REPORT_FILE), "utf8")).toBe(before);
});

test("--write puts the report in docs/benchmarks.md of the repository it is given", () => {
  const saved = saveReport(`# Benchmarks\n\n${table(comparison())}`, {
    repoRoot: scratch,
    write: true,
  });
  expect(saved.path).toBe(REPORT_FILE);
  expect(readFileSync(join(scratch, REPORT_FILE), "utf8")).toBe(saved.text);
});

describe("npm run bench arguments", () => {
  const bench = (args: string[]) =>
    spawnSync(process.execPath, ["-r", "./lib/transpile/register.cjs", "scripts/bench/run.ts", ...args], {
      cwd: ROOT,
      encoding: "utf8",
    });

  test("--help prints the usage and exits 0 without benchmarking", () => {
    const run = bench(["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: npm run bench -- .*\[--write\]\n/);
    expect(run.stderr).toBe("");
  });

  test.each([
    [["--bogus"], "error: Unknown option '--bogus'"],
    [["--only", "nope"], "error: --only: unknown part 'nope'"],
    [["--rounds", "0"], "error: --rounds: expected a whole number from 1, got '0'"],
  ])("%j is refused with the usage line", (args, message) => {
    const run = bench(args);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^${message.replace(/[[\]()'.-]/g, "\\$&")}\nusage: npm run bench -- `),
    );
  });
});
