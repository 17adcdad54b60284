/**
 * `npm run bench`: measures synth and the test loop against the stock cdktf way, in one run, alternating
 * the variants round by round so machine noise hits all of them alike. Prints medians, min/max, peak
 * memory and ratios as a formatted Markdown report; `--write` updates docs/benchmarks.md with it.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseCommand } from "../../lib/cli/args";
import { runCli, UserError } from "../../lib/cli/cli";
import {
  median,
  saveReport,
  table,
  tierTable,
  type Comparison,
  type Sample,
  type SameRunBaselines,
  type Variant,
} from "../../lib/bench/report";
import { LOCK_FILE_NAME, PROVIDER_LOCK_FILE } from "../../lib/synth/provider-lock";
import { TIERS } from "../../lib/tiers/tiers";

const ROOT = resolve(__dirname, "../..");
const ENGINE = "node -r ./lib/transpile/register.cjs scripts/bench/engine.ts";
const PARTS = ["synth", "cli", "engine", "tiers", "scaling"];

const BENCH_COMMAND = {
  usage:
    "usage: npm run bench -- [--rounds N] [--quick] [--load N] [--only synth|cli|engine|tiers|scaling ...] [--write]",
  help: [
    "Benchmarks synth and the engine check against the stock cdktf way, and times each test tier (about",
    "twenty minutes on two cores). Prints the report; it is saved to a temporary file unless --write updates",
    "docs/benchmarks.md.",
    "  --rounds N   rounds per comparison (default 5, 3 with --quick)",
    "  --load N     keep N busy-looping processes running throughout: a machine whose cores are taken",
    "  --quick      fewer rounds, no test tiers",
    "  --only PART  run only this part (repeatable): synth, cli, engine, tiers, scaling",
    "  --write      write the report to docs/benchmarks.md (a deliberate update of the committed results)",
  ].join("\n"),
  options: {
    rounds: { type: "string" },
    load: { type: "string" },
    quick: { type: "boolean" },
    only: { type: "string", multiple: true },
    write: { type: "boolean" },
  },
  positionals: false,
} as const;

let TMP = "";
/** The machine's 1-minute load average after each measured command: other users' work, stated in the report. */
const loads: number[] = [];

const env = {
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  CI: "1",
  FORCE_COLOR: "0",
  MEDIA_DOWNLOADER_RELEASE: "",
};

/**
 * Runs one command under GNU time; returns wall seconds, and the peak resident memory and CPU seconds of
 * its process tree.
 */
function measure(command: string): Sample {
  const started = process.hrtime.bigint();
  const result = spawnSync("/usr/bin/time", ["-v", "sh", "-c", command], {
    cwd: ROOT,
    env,
    encoding: "utf8",
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  loads.push(loadavg()[0]);
  if (result.status !== 0) {
    throw new UserError(
      `benchmark command failed (exit ${result.status}): ${command}\n${result.stderr.slice(-2000)}`,
    );
  }
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  const cpu = (label: string) =>
    Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(result.stderr)?.[1]);
  return { seconds, peakMb: rss ? Number(rss[1]) / 1024 : NaN, cpuSeconds: cpu("User") + cpu("System") };
}

function variant(name: string, command: string): Variant {
  return { name, command, samples: [] };
}

/** Alternates the variants `rounds` times (rotating the order each round) after one warm-up each. */
function run(comparison: Comparison, rounds: number): Comparison {
  process.stderr.write(`\n${comparison.title}: ${rounds} rounds\n`);
  for (const v of comparison.variants) measure(v.command);
  for (let round = 0; round < rounds; round++) {
    const order = comparison.variants.map(
      (_, i) => comparison.variants[(i + round) % comparison.variants.length],
    );
    for (const v of order) {
      const sample = measure(v.command);
      v.samples.push(sample);
      process.stderr.write(`  ${v.name}: ${sample.seconds.toFixed(2)} s\n`);
    }
  }
  return comparison;
}

function scaling(rounds: number): string {
  const counts = [2, 8, 32];
  const comparison: Comparison = {
    title: "Synth time by number of environment stacks (generated configs)",
    baseline: "2 stacks",
    variants: counts.map((n) =>
      variant(
        `${n} stacks`,
        `node -r ./lib/transpile/register.cjs scripts/bench/synth-many.ts ${n} ${join(TMP, `many-${n}`)}`,
      ),
    ),
  };
  run(comparison, rounds);
  const medians = comparison.variants.map((v) => median(v.samples.map((s) => s.seconds)));
  const perStack = (medians[2] - medians[0]) / (counts[2] - counts[0]);
  const perStackLow = (medians[1] - medians[0]) / (counts[1] - counts[0]);
  return [
    table(comparison),
    `Per extra stack: ${perStackLow.toFixed(3)} s (2 → 8), ${perStack.toFixed(3)} s (2 → 32). Target: under 0.15 s, linear.`,
    "",
  ].join("\n");
}

runCli(async () => {
  const args = process.argv.slice(2);
  const parsed = parseCommand(BENCH_COMMAND, args);
  if (!parsed) return;
  const quick = parsed.values.quick ?? false;
  const rounds = parsed.values.rounds === undefined ? (quick ? 3 : 5) : Number(parsed.values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new UserError(
      `--rounds: expected a whole number from 1, got '${parsed.values.rounds}'\n${BENCH_COMMAND.usage}`,
    );
  const only = parsed.values.only ?? [];
  const unknownPart = only.find((part) => !PARTS.includes(part));
  if (unknownPart) throw new UserError(`--only: unknown part '${unknownPart}'\n${BENCH_COMMAND.usage}`);
  const want = (part: string) => only.length === 0 || only.includes(part);
  const load = parsed.values.load === undefined ? 0 : Number(parsed.values.load);
  if (!Number.isInteger(load) || load < 0)
    throw new UserError(
      `--load: expected a whole number from 0, got '${parsed.values.load}'\n${BENCH_COMMAND.usage}`,
    );
  TMP = mkdtempSync(join(tmpdir(), "bench-"));
  // Other work on the machine, the same for every variant (they alternate), ended with the run. Unref'd:
  // a run that fails must still exit (a burner kept a failed run, and its load, alive until killed).
  const burners = Array.from({ length: load }, () => {
    const burner = spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
    burner.unref();
    return burner;
  });
  process.on("exit", () => burners.forEach((b) => b.kill()));

  // The floor: the app compiled once with tsc, run with plain node (inside the repo, so node_modules
  // resolves; only this directory is removed, not the other caches under .build/).
  const build = join(ROOT, ".build", "bench-floor");
  rmSync(build, { recursive: true, force: true });
  if (want("synth") || want("cli")) {
    const tsc = spawnSync("npx", ["tsc", "--outDir", build, "--noEmit", "false"], {
      cwd: ROOT,
      env,
      encoding: "utf8",
    });
    if (tsc.status !== 0) throw new UserError(`tsc failed:\n${tsc.stdout}`);
    // The synth reads the committed provider lock file beside the code (lib/synth/provider-lock.ts).
    copyFileSync(PROVIDER_LOCK_FILE, join(build, LOCK_FILE_NAME));
  }
  const out = (name: string) => join(TMP, name);

  const sections: string[] = [];
  let baselines: SameRunBaselines = {};
  if (want("synth")) {
    const synth = run(
      {
        title: "Synth of every stack: the project's way against the stock cdktf way and the floor",
        baseline: "stock: cdktf synth + ts-node",
        target: "npm run synth at least 6x faster than stock, within 1.6x of the floor, under 1 s",
        variants: [
          variant("npm run synth", `CDKTF_OUTDIR=${out("project")} npm run --silent synth`),
          // The first run after a clone or an edit of every file: nothing in .build/transpile yet.
          variant(
            "npm run synth, no transpile cache",
            `rm -rf .build/transpile && CDKTF_OUTDIR=${out("cold")} npm run --silent synth`,
          ),
          variant(
            "stock: cdktf synth + ts-node",
            `npx cdktf synth --app "npx ts-node main.ts" --output ${out("stock")}`,
          ),
          variant("floor: tsc output + node", `CDKTF_OUTDIR=${out("floor")} node .build/bench-floor/main.js`),
        ],
      },
      rounds,
    );
    sections.push(table(synth));
    const medianOf = (prefix: string) =>
      median(synth.variants.find((v) => v.name.startsWith(prefix))!.samples.map((s) => s.seconds));
    baselines = { synthFloor: medianOf("floor"), stockSynth: medianOf("stock") };
  }
  if (want("cli")) {
    sections.push(
      table(
        run(
          {
            title: "The CDKTF CLI's own cost: cdktf synth (our cdktf.json) against the floor",
            baseline: "floor: tsc output + node",
            variants: [
              variant("cdktf synth", `npx cdktf synth --output ${out("cli")}`),
              variant(
                "floor: tsc output + node",
                `CDKTF_OUTDIR=${out("floor2")} node .build/bench-floor/main.js`,
              ),
            ],
          },
          rounds,
        ),
      ),
    );
  }
  if (want("engine")) {
    // Synthesized once, outside the timings: both variants verify the same stacks and working copies.
    measure(`${ENGINE} --prepare`);
    sections.push(
      table(
        run(
          {
            title: "Engine verification of both stacks: ours against the cdktf Testing matchers",
            baseline: "Testing matchers: toBeValidTerraform + toPlanSuccessfully",
            target: "at least 3x faster than the matchers",
            variants: [
              variant(
                "ours: plan, show -json, policies (parallel; the one init is cached)",
                `${ENGINE} --variant ours`,
              ),
              variant(
                "Testing matchers: toBeValidTerraform + toPlanSuccessfully",
                `${ENGINE} --variant matchers`,
              ),
            ],
          },
          rounds,
        ),
      ),
    );
  }
  if (want("tiers") && !quick) {
    // Each tier as its own command. The quick tier twice: as a person runs it in the inner loop (lint of
    // the files changed since the last commit: none in a clean checkout, so its row is typecheck and tests;
    // the 30 s target is this row's), and with every file linted, as `npm test` and CI run it.
    const rows = [
      ...TIERS.map((t) => ({
        tier: t.name,
        command: `npm run --silent test:${t.name}`,
        targetSeconds: t.targetSeconds,
      })),
      ...TIERS.filter((t) => t.checks.includes("lint")).map((t) => ({
        tier: `${t.name}, every file linted (npm test)`,
        command: `npm run --silent test:${t.name} -- --lint all`,
        targetSeconds: undefined,
      })),
    ];
    const tiers = run(
      {
        title: "Test tiers",
        baseline: rows[0].command,
        variants: rows.map((r) => variant(r.tier, r.command)),
      },
      rounds,
    );
    sections.push(
      tierTable(
        "Test tiers (each as its own command; npm test runs them in this order)",
        rows.map((r, i) => ({ ...r, samples: tiers.variants[i].samples })),
        baselines,
      ),
    );
  }
  if (want("scaling")) sections.push(scaling(rounds));

  const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], {
    cwd: ROOT,
    encoding: "utf8",
  }).stdout.trim();
  const report = [
    "# Benchmarks",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), ` +
      `Node ${process.version}, commit ${commit}, by \`npm run bench${args.length ? " " + args.join(" ") : ""}\`. ` +
      "Each variant runs once to warm up, then the variants alternate; peak memory is GNU time's maximum " +
      "resident set size over the command's process tree." +
      (load > 0
        ? ` Throughout, ${load === 1 ? "another process kept one core" : `${load} other processes kept ${load} cores`} busy (\`--load ${load}\`).`
        : "") +
      (loads.length
        ? ` The machine's 1-minute load average after each command (this run's own work included): median ${median(loads).toFixed(1)}, ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)}.`
        : ""),
    "",
    ...sections,
  ].join("\n");
  const saved = saveReport(report, { repoRoot: ROOT, write: parsed.values.write ?? false });
  process.stdout.write(saved.text);
  process.stderr.write(
    parsed.values.write
      ? `bench: wrote ${saved.path}\n`
      : `bench: report saved to ${saved.path} (docs/benchmarks.md unchanged; --write updates it)\n`,
  );
  rmSync(TMP, { recursive: true, force: true });
  rmSync(build, { recursive: true, force: true });
  for (const burner of burners) burner.kill();
});
