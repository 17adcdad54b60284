import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  formatMarkdown,
  REPORT_FILE,
  saveReport,
  table,
  tierTable,
  type Comparison,
} from "../../lib/bench/report";

const ROOT = resolve(__dirname, "../..");

const comparison = (): Comparison => ({
  title: "Synth of both stacks",
  baseline: "stock",
  target: "at least 6x",
  variants: [
    {
      name: "ours",
      command: "npm run synth",
      samples: [1, 2, 3].map((seconds) => ({ seconds, peakMb: 100, cpuSeconds: seconds * 2 })),
    },
    {
      name: "stock",
      command: "npx cdktf synth",
      samples: [10, 12, 14].map((seconds) => ({ seconds, peakMb: 300, cpuSeconds: seconds })),
    },
  ],
});

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "bench-report-"));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

test("a table gives median, min/max, peak memory and the ratio against the baseline, in wall and CPU time", () => {
  const text = table(comparison());
  // ours: median 2 s wall, 4 s CPU; stock: 12 s wall and CPU, so ours is 6.00x faster in wall time, 3.00x in CPU.
  expect(text).toContain("| ours | `npm run synth` | 2.00 | 1.00 / 3.00 | 100 | 6.00 | 4.00 | 3.00 |");
  expect(text).toContain("| stock | `npx cdktf synth` | 12.00 | 10.00 / 14.00 | 300 | 1.00 | 12.00 | 1.00 |");
  expect(text).toContain("Target: at least 6x.");
});

describe("tierTable", () => {
  const tiers = [
    {
      tier: "quick",
      command: "npm run test:quick",
      targetSeconds: 30,
      samples: [20, 24, 40].map((seconds) => ({ seconds, peakMb: 500, cpuSeconds: seconds + 1 })),
    },
    {
      tier: "engine",
      command: "npm run test:engine",
      targetSeconds: 90,
      samples: [95, 100, 80].map((seconds) => ({ seconds, peakMb: 900, cpuSeconds: seconds + 1 })),
    },
  ];

  test("each tier's median against its target, and in units of the same run's synth floor and stock synth", () => {
    const text = tierTable("Test tiers", tiers, { synthFloor: 2, stockSynth: 12 });
    // quick: median 24 s, under 30; 24 / 2 = 12.0 floors, 24 / 12 = 2.0 stock synths.
    expect(text).toContain(
      "| quick | `npm run test:quick` | 24.00 | 20.00 / 40.00 | 500 | 25.0 | 30 | yes | 12.0 | 2.0 |",
    );
    // engine: median 95 s, over 90.
    expect(text).toContain(
      "| engine | `npm run test:engine` | 95.00 | 80.00 / 100.00 | 900 | 96.0 | 90 | **no** | 47.5 | 7.9 |",
    );
    expect(text).toContain("Same-run baselines (medians): synth floor 2.00 s, stock cdktf synth 12.00 s");
  });

  test("a row without a target (shown for comparison) says so and claims nothing", () => {
    const text = tierTable(
      "Test tiers",
      [
        {
          tier: "quick, every file linted",
          command: "c",
          samples: [{ seconds: 50, peakMb: 1, cpuSeconds: 60 }],
        },
      ],
      {},
    );
    expect(text).toContain("| quick, every file linted | `c` | 50.00 | 50.00 / 50.00 | 1 | 60.0 | none |  |");
  });

  test("without the synth part, the baseline columns say so instead of inventing a number", () => {
    const text = tierTable("Test tiers", tiers, {});
    expect(text).toContain("| 30 | yes | not measured | not measured |");
    expect(text).toContain("No same-run baselines were measured");
  });
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
