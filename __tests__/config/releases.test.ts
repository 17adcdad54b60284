/**
 * config/releases.ts is the one place that says which release each environment runs; a committed value
 * flows into `artifacts.release`, MEDIA_DOWNLOADER_RELEASE overrides it for one run, and it is validated
 * like any other field.
 */
function loadWith(releases: Record<string, string | undefined>) {
  let config!: typeof import("../../config");
  jest.isolateModules(() => {
    jest.doMock("../../config/releases", () => ({
      RELEASES: releases,
      PROMOTION: { staging: [], production: ["staging"] },
    }));
    config = require("../../config"); // eslint-disable-line @typescript-eslint/no-require-imports
  });
  return config;
}

afterEach(() => {
  delete process.env.MEDIA_DOWNLOADER_RELEASE;
  jest.dontMock("../../config/releases");
});

test("each environment gets its own committed release", () => {
  const config = loadWith({ staging: "2026.12.01-r7", production: "2026.11.20-r3" });
  const environments = config.parseEnvironments(config.ENVIRONMENT_INPUTS);
  expect(environments.staging.artifacts.release).toBe("2026.12.01-r7");
  expect(environments.production.artifacts.release).toBe("2026.11.20-r3");
});

test("no committed release: none (synth works, the plan's release guard refuses)", () => {
  const config = loadWith({ staging: undefined, production: undefined });
  expect(config.parseEnvironments(config.ENVIRONMENT_INPUTS).production.artifacts.release).toBeUndefined();
});

test("MEDIA_DOWNLOADER_RELEASE overrides the committed releases (rollback, offline preview)", () => {
  const config = loadWith({ staging: "r7", production: "r3" });
  process.env.MEDIA_DOWNLOADER_RELEASE = "r2";
  const environments = config.parseEnvironments(config.ENVIRONMENT_INPUTS);
  expect([environments.staging.artifacts.release, environments.production.artifacts.release]).toEqual([
    "r2",
    "r2",
  ]);
});

test("a malformed committed release is a config error naming the environment and field", () => {
  const config = loadWith({ staging: "not a release!", production: undefined });
  expect(() => config.parseEnvironments(config.ENVIRONMENT_INPUTS)).toThrow(
    /config\/staging: artifacts\.release: expected a release id/,
  );
});

test("the committed file has an entry for every environment", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RELEASES } = require("../../config/releases") as typeof import("../../config/releases");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ENVIRONMENT_INPUTS } = require("../../config") as typeof import("../../config");
  expect(Object.keys(RELEASES).sort()).toEqual(Object.keys(ENVIRONMENT_INPUTS).sort());
});
