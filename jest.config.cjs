// The tier table (which test file runs in which tier) is TypeScript: load it through the project's loader.
require("./lib/transpile/register.cjs");
const { TIERS, jestTestRegex } = require("./lib/tiers/tiers.ts");

/** Settings every tier's tests share. */
const project = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  // Testing.app() directories are removed per test file (setup.ts).
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // Transpile only, with sucrase: the quick tier runs `tsc --noEmit` once, for the whole tree.
  transform: { "^.+\\.ts$": "<rootDir>/__tests__/helpers/sucrase-transform.cjs" },
};

/** @type {import('jest').Config} */
module.exports = {
  // One project per test tier (lib/tiers/tiers.ts): `jest --selectProjects quick` runs one tier, plain
  // `jest` every tier. `npm test` runs them one after the other (scripts/test.ts).
  projects: TIERS.map((tier) => ({
    ...project,
    displayName: tier.name,
    rootDir: __dirname,
    testRegex: jestTestRegex(tier, __dirname),
  })),
  // One worker per core. On 2 cores (2026-12-01, same tree, one run each): 1 worker (jest's default,
  // cores - 1) 186 s, 2 workers 137 s, 3 workers 182 s. More workers than cores run several engine suites'
  // terraform and provider processes at once, and the CPU time of the run grows (258, 267, 318 s).
  maxWorkers: "100%",
  // A hang guard, not a speed limit: jest's 5 s default failed age/scrypt and copy-the-repo suites on a
  // loaded 2-core machine. Tests never assert on time.
  testTimeout: 600_000,
  // A private TMPDIR per run (the teardown fails the run on leftovers), and every stack synthesized once
  // per run for the suites to read (__tests__/helpers/synth-cache.ts).
  globalSetup: "<rootDir>/__tests__/helpers/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/helpers/global-teardown.ts",
};
