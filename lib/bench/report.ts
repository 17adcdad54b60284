import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

/**
 * The benchmark report (`npm run bench`): tables of medians and ratios as Markdown, formatted by the
 * project's prettier so a committed report passes `npm run lint`, and written to docs/benchmarks.md only
 * when asked (`--write`).
 */

export interface Sample {
  readonly seconds: number;
  readonly peakMb: number;
  /** User plus system CPU seconds of the command's process tree: unlike wall time, other load barely moves it. */
  readonly cpuSeconds: number;
}

export interface Variant {
  readonly name: string;
  readonly command: string;
  readonly samples: Sample[];
}

export interface Comparison {
  readonly title: string;
  readonly variants: Variant[];
  /** Ratios are reported as baseline / variant ("x faster") against this variant. */
  readonly baseline: string;
  readonly target?: string;
}

export const REPORT_FILE = "docs/benchmarks.md";

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * One comparison as a Markdown section: median, min/max, peak memory and ratio per variant, in wall time
 * and in CPU time (the work itself: a busy machine stretches wall time, and a variant that runs in
 * parallel loses more of its lead there than in CPU time).
 */
export function table(comparison: Comparison): string {
  const base = comparison.variants.find((v) => v.name === comparison.baseline);
  if (!base) throw new Error(`benchmark ${comparison.title}: no baseline variant ${comparison.baseline}`);
  const baseMedian = median(base.samples.map((s) => s.seconds));
  const baseCpu = median(base.samples.map((s) => s.cpuSeconds));
  const rows = comparison.variants.map((v) => {
    const secs = v.samples.map((s) => s.seconds);
    const m = median(secs);
    const cpu = median(v.samples.map((s) => s.cpuSeconds));
    const ratio = v === base ? "1.00" : (baseMedian / m).toFixed(2);
    const cpuRatio = v === base ? "1.00" : (baseCpu / cpu).toFixed(2);
    const peak = Math.max(...v.samples.map((s) => s.peakMb));
    const cells = [
      v.name,
      `\`${v.command}\``,
      m.toFixed(2),
      `${Math.min(...secs).toFixed(2)} / ${Math.max(...secs).toFixed(2)}`,
      peak.toFixed(0),
      ratio,
      cpu.toFixed(2),
      cpuRatio,
    ];
    return `| ${cells.join(" | ")} |`;
  });
  return [
    `### ${comparison.title}`,
    "",
    `Ratio = median of **${comparison.baseline}** / median of the row (above 1: the row is faster); CPU ratio the same in CPU seconds.` +
      (comparison.target ? ` Target: ${comparison.target}.` : ""),
    "",
    "| Variant | Command | Median s | Min / max s | Peak MB | Ratio | CPU s | CPU ratio |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

/** A test tier's timed runs and its target, for `tierTable`. */
export interface TierTiming {
  readonly tier: string;
  readonly command: string;
  readonly samples: readonly Sample[];
  /** The tier's target in seconds of wall time (issue 22); none for a row shown for comparison only. */
  readonly targetSeconds?: number;
}

/** Same-run baselines the tier times are set against: medians from this run's synth comparison. */
export interface SameRunBaselines {
  /** The floor: the app compiled with tsc, run with plain node. */
  readonly synthFloor?: number;
  /** Stock `cdktf synth` with ts-node. */
  readonly stockSynth?: number;
}

/**
 * The test tiers as a Markdown section: median, min/max and peak memory per tier, its target and whether
 * the median meets it, and the median in units of this run's own baselines (the synth floor and stock
 * `cdktf synth`), so a slower machine or a heavier load shows in the baselines too.
 */
export function tierTable(title: string, tiers: readonly TierTiming[], baselines: SameRunBaselines): string {
  const unit = (m: number, base: number | undefined) => (base ? `${(m / base).toFixed(1)}` : "not measured");
  const rows = tiers.map((t) => {
    const secs = t.samples.map((s) => s.seconds);
    const m = median(secs);
    const cells = [
      t.tier,
      `\`${t.command}\``,
      m.toFixed(2),
      `${Math.min(...secs).toFixed(2)} / ${Math.max(...secs).toFixed(2)}`,
      Math.max(...t.samples.map((s) => s.peakMb)).toFixed(0),
      median(t.samples.map((s) => s.cpuSeconds)).toFixed(1),
      t.targetSeconds === undefined ? "none" : `${t.targetSeconds}`,
      t.targetSeconds === undefined ? "" : m <= t.targetSeconds ? "yes" : "**no**",
      unit(m, baselines.synthFloor),
      unit(m, baselines.stockSynth),
    ];
    return `| ${cells.join(" | ")} |`;
  });
  const base = [
    baselines.synthFloor !== undefined ? `synth floor ${baselines.synthFloor.toFixed(2)} s` : undefined,
    baselines.stockSynth !== undefined ? `stock cdktf synth ${baselines.stockSynth.toFixed(2)} s` : undefined,
  ].filter(Boolean);
  return [
    `### ${title}`,
    "",
    `Wall time of each tier's command, ${tiers[0]?.samples.length ?? 0} rounds after a warm-up. ` +
      (base.length
        ? `Same-run baselines (medians): ${base.join(", ")}; the last two columns are the tier's median in those units.`
        : "No same-run baselines were measured (run the synth part too)."),
    "",
    "| Tier | Command | Median s | Min / max s | Peak MB | CPU s | Target s | Met? | × synth floor | × stock synth |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

/**
 * Formats Markdown with the repository's prettier and its configuration, exactly as `prettier --write`
 * formats docs/benchmarks.md (the prettier CLI, in its own process: its API loads ES modules).
 */
export function formatMarkdown(markdown: string, repoRoot: string): string {
  const result = spawnSync(
    process.execPath,
    [require.resolve("prettier/bin/prettier.cjs"), "--stdin-filepath", join(repoRoot, REPORT_FILE)],
    { input: markdown, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`prettier failed on the benchmark report: ${result.stderr}`);
  return result.stdout;
}

/**
 * Formats the report and writes it: to docs/benchmarks.md with `write`, else to a file in the system's
 * temporary directory, so a run never changes the working tree by accident. Returns the path written.
 */
export function saveReport(
  markdown: string,
  options: { readonly repoRoot: string; readonly write: boolean; readonly scratchDir?: string },
): { readonly path: string; readonly text: string } {
  const text = formatMarkdown(markdown, options.repoRoot);
  const path = options.write
    ? join(options.repoRoot, REPORT_FILE)
    : join(options.scratchDir ?? tmpdir(), "media-downloader-benchmarks.md");
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return { path: options.write ? relative(options.repoRoot, path) : path, text };
}
