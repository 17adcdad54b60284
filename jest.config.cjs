/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Transpile only: `tsc --noEmit` in `npm test` does the type checking once, for the whole tree.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // A private TMPDIR per run; the teardown fails the run if a test left temporary files behind.
  globalSetup: "<rootDir>/__tests__/temp-files/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/temp-files/global-teardown.ts",
};
