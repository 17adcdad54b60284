import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { runTiers, tierFailed } from "../lib/tiers/runner";
import { realSteps } from "../lib/tiers/steps";
import { TIERS, tierNamed } from "../lib/tiers/tiers";

const ROOT = resolve(__dirname, "..");
const NAMES = TIERS.map((t) => t.name).join("|");

/** `npm test`, `npm run test:quick|engine|emulated`: the test tiers of lib/tiers/tiers.ts, in order. */
runCli(async () => {
  const usage = `usage: npm run test -- [--tier ${NAMES} ...] [--lint changed|all] [--watch] [<test path pattern> ...]`;
  const parsed = parseCommand({
    usage,
    help: [
      "Runs the test tiers in order, a line per tier with its counts and time, then a total line",
      "(`test-total: passed=N failed=N ...`, read by .ci/run). A failing quick tier stops the run.",
      ...TIERS.map((t) => `  ${t.name.padEnd(9)} ${t.description} (${t.convention})`),
      "Options:",
      "  --tier NAME      run only this tier (repeatable); npm run test:<tier> is the short form",
      "  --lint MODE      quick tier's lint: changed (files changed since the last commit; default with --tier)",
      "                   or all (default for the full run and under CI)",
      "  --watch          jest --watch on one tier (no lint or typecheck): npm run test:quick -- --watch",
      "  pattern ...      passed to jest: only the test files whose path matches",
    ].join("\n"),
    options: {
      tier: { type: "string", multiple: true },
      lint: { type: "string" },
      watch: { type: "boolean" },
    },
  });
  if (!parsed) return;
  const names = parsed.values.tier ?? [];
  const unknown = names.find((name) => !tierNamed(name));
  if (unknown) throw new UserError(`--tier: unknown tier '${unknown}' (expected ${NAMES})\n${usage}`);
  const tiers = names.length ? TIERS.filter((t) => names.includes(t.name)) : TIERS;
  const lint = parsed.values.lint ?? (names.length && !process.env.CI ? "changed" : "all");
  if (lint !== "changed" && lint !== "all")
    throw new UserError(`--lint: expected changed or all, got '${lint}'\n${usage}`);

  if (parsed.values.watch) {
    if (tiers.length !== 1) throw new UserError(`--watch: name one tier (--tier ${NAMES})\n${usage}`);
    const jest = spawnSync(
      process.execPath,
      [
        join(ROOT, "node_modules", "jest", "bin", "jest.js"),
        "--selectProjects",
        tiers[0].name,
        "--watch",
        ...parsed.positionals,
      ],
      { cwd: ROOT, stdio: "inherit" },
    );
    process.exitCode = jest.status ?? 1;
    return;
  }

  const outcomes = await runTiers(tiers, realSteps({ root: ROOT, lint, jestArgs: parsed.positionals }));
  if (outcomes.some(tierFailed)) process.exitCode = 1;
});
