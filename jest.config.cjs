/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Transpile only, with sucrase: `tsc --noEmit` in `npm test` does the type checking once, for the whole tree.
  transform: { "^.+\\.ts$": "<rootDir>/__tests__/helpers/sucrase-transform.cjs" },
  // Every stack is synthesized once per run and read by the suites (__tests__/helpers/synth-cache.ts).
  globalSetup: "<rootDir>/__tests__/helpers/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/helpers/global-teardown.ts",
};
