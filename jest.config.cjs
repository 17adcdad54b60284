/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // One worker per core. On 2 cores (2026-12-01, same tree, one run each): 1 worker (jest's default,
  // cores - 1) 186 s, 2 workers 137 s, 3 workers 182 s. More workers than cores run several engine suites'
  // terraform and provider processes at once, and the CPU time of the run grows (258, 267, 318 s).
  maxWorkers: "100%",
  // A hang guard, not a speed limit: jest's 5 s default failed age/scrypt and copy-the-repo suites on a
  // loaded 2-core machine. Tests never assert on time.
  testTimeout: 600_000,
  // Testing.app() directories are removed per test file (setup.ts).
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // Transpile only, with sucrase: `tsc --noEmit` in `npm test` does the type checking once, for the whole tree.
  transform: { "^.+\\.ts$": "<rootDir>/__tests__/helpers/sucrase-transform.cjs" },
  // A private TMPDIR per run (the teardown fails the run on leftovers), and every stack synthesized once
  // per run for the suites to read (__tests__/helpers/synth-cache.ts).
  globalSetup: "<rootDir>/__tests__/helpers/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/helpers/global-teardown.ts",
};
