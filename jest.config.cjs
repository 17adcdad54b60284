/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // More workers than cores: the engine suites spend most of their time waiting on terraform/tofu child
  // processes. On 2 cores jest's default (cores - 1 = 1 worker) ran the suite in 272 s, 3 workers in 186 s.
  maxWorkers: "150%",
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
