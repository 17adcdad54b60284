import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError, ENVIRONMENT_INPUTS, parseEnvironment, parseEnvironments } from "../../config";

type Mutable = Record<string, unknown>;
const clone = (): Mutable => structuredClone(ENVIRONMENT_INPUTS.staging) as unknown as Mutable;
const set = (obj: Mutable, path: string, value: unknown): Mutable => {
  const keys = path.split(".");
  let node = obj;
  for (const key of keys.slice(0, -1)) node = node[key] as Mutable;
  if (value === undefined) delete node[keys[keys.length - 1]];
  else node[keys[keys.length - 1]] = value;
  return obj;
};

function problems(input: unknown): string[] {
  try {
    parseEnvironment("staging", input);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

test("the committed environments are valid", () => {
  expect(() => parseEnvironments(ENVIRONMENT_INPUTS)).not.toThrow();
});

test.each([
  [
    "a malformed account id",
    "aws.accountId",
    "12345",
    'config/staging: aws.accountId: expected a 12-digit AWS account id, got "12345"',
  ],
  [
    "an unknown region",
    "aws.region",
    "us-middle-9",
    /config\/staging: aws\.region: expected an AWS region such as us-west-2, got "us-middle-9"/,
  ],
  [
    "a retention CloudWatch rejects",
    "logRetentionDays",
    10,
    /config\/staging: logRetentionDays: expected a retention CloudWatch Logs accepts \(1, 3, 5, 7/,
  ],
  [
    "a negative quota",
    "api.quota.limit",
    -5,
    "config/staging: api.quota.limit: expected a whole number from 1, got -5",
  ],
  [
    "a missing field",
    "prefix",
    undefined,
    "config/staging: prefix: missing (expected 2-8 lower-case letters or digits, such as stag)",
  ],
  [
    "a missing enum field",
    "logLevel",
    undefined,
    "config/staging: logLevel: missing (expected DEBUG, INFO, WARN or ERROR)",
  ],
  [
    "a fractional quota",
    "api.quota.limit",
    1.5,
    "config/staging: api.quota.limit: expected a whole number from 1, got 1.5",
  ],
  [
    "an unknown quota period",
    "api.quota.period",
    "YEAR",
    'config/staging: api.quota.period: expected DAY, WEEK or MONTH, got "YEAR"',
  ],
  [
    "a flag that is not a boolean",
    "deletionProtection",
    "yes",
    'config/staging: deletionProtection: expected true or false, got "yes"',
  ],
  [
    "an unknown log level",
    "logLevel",
    "TRACE",
    /config\/staging: logLevel: expected DEBUG, INFO, WARN or ERROR, got "TRACE"/,
  ],
  ["an unknown field", "extra", 1, /config\/staging: \(root\): unknown field\(s\) extra/],
  [
    "a CORS origin with a path",
    "cdn.corsAllowedOrigins",
    ["https://a.example/x"],
    /cdn\.corsAllowedOrigins\.0: expected an origin/,
  ],
  [
    "a reserved concurrency below the SQS event source minimum",
    "download.reservedConcurrency",
    1,
    /config\/staging: download\.reservedConcurrency: expected a whole number from 2, got 1/,
  ],
  [
    "alarms on without an alert endpoint",
    "observability",
    { alarms: true, dashboard: false },
    /config\/staging: observability\.alertEndpoints: expected at least one alert endpoint \(email or https\)/,
  ],
  [
    "an alert email that is no address",
    "observability",
    { alarms: true, dashboard: false, alertEndpoints: [{ protocol: "email", endpoint: "ops" }] },
    /config\/staging: observability\.alertEndpoints\.0\.endpoint: expected an email address, got "ops"/,
  ],
  [
    "an alert URL over plain http",
    "observability",
    {
      alarms: true,
      dashboard: false,
      alertEndpoints: [{ protocol: "https", endpoint: "http://hooks.example.com/a" }],
    },
    /config\/staging: observability\.alertEndpoints\.0\.endpoint: expected an https:\/\/ URL, got "http:\/\/hooks\.example\.com\/a"/,
  ],
])("%s gets one clear message naming the environment and field", (_, path, value, message) => {
  const found = problems(set(clone(), path, value));
  expect(found).toHaveLength(1);
  expect(found[0]).toMatch(message);
});

test("every problem is reported at once, across environments", () => {
  const staging = set(set(clone(), "logLevel", "TRACE"), "aws.accountId", "x");
  const production = set(
    structuredClone(ENVIRONMENT_INPUTS.production) as unknown as Mutable,
    "logRetentionDays",
    2,
  );
  let error: unknown;
  try {
    parseEnvironments({ staging, production });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const found = (error as ConfigError).problems;
  expect(found).toHaveLength(3);
  expect(found.filter((p) => p.startsWith("config/staging:"))).toHaveLength(2);
  expect(found.filter((p) => p.startsWith("config/production: logRetentionDays"))).toHaveLength(1);
});

test("two environments may not share a prefix, a state key or a secrets file", () => {
  const production = { ...structuredClone(ENVIRONMENT_INPUTS.production), prefix: "stag" };
  expect(() => parseEnvironments({ staging: ENVIRONMENT_INPUTS.staging, production })).toThrow(
    /config\/production: prefix: "stag" is already used by staging/,
  );
  const sameKey = structuredClone(ENVIRONMENT_INPUTS.production) as unknown as Mutable;
  set(sameKey, "backend.key", ENVIRONMENT_INPUTS.staging.backend.key);
  expect(() => parseEnvironments({ staging: ENVIRONMENT_INPUTS.staging, production: sameKey })).toThrow(
    /backend\.key: .* is already used by staging/,
  );
});

test("no environment owns the API Gateway account setting any more (the bootstrap does)", () => {
  const production = structuredClone(ENVIRONMENT_INPUTS.production) as unknown as Mutable;
  set(production, "api.ownsAccountSettings", true);
  expect(() => parseEnvironments({ staging: ENVIRONMENT_INPUTS.staging, production })).toThrow(
    /config\/production: api: unknown field\(s\) ownsAccountSettings/,
  );
});

test("MEDIA_DOWNLOADER_RELEASE names the release and is validated like the config", () => {
  process.env.MEDIA_DOWNLOADER_RELEASE = "abc1234";
  try {
    expect(parseEnvironment("staging", ENVIRONMENT_INPUTS.staging).artifacts.release).toBe("abc1234");
    process.env.MEDIA_DOWNLOADER_RELEASE = "not a release!";
    expect(() => parseEnvironment("staging", ENVIRONMENT_INPUTS.staging)).toThrow(
      /config\/staging: artifacts\.release: expected a release id/,
    );
  } finally {
    delete process.env.MEDIA_DOWNLOADER_RELEASE;
  }
});

test("two environments may not share a stack id", () => {
  const production = {
    ...structuredClone(ENVIRONMENT_INPUTS.production),
    stack: ENVIRONMENT_INPUTS.staging.stack,
  };
  expect(() => parseEnvironments({ staging: ENVIRONMENT_INPUTS.staging, production })).toThrow(
    `config/production: stack: "${ENVIRONMENT_INPUTS.staging.stack}" is already used by staging`,
  );
});

test("the README's sample error is what the command prints for those three mistakes", () => {
  const root = resolve(__dirname, "../..");
  const readme = readFileSync(resolve(root, "README.md"), "utf8");
  const sample = /```\n(error: invalid configuration:\n[^`]*)```/.exec(readme)?.[1];
  expect(sample).toBeDefined();
  // The mistakes the sample describes: a short account id in staging; in production no log level and a zero quota.
  const script = `
    const { ENVIRONMENT_INPUTS, parseEnvironments } = require("./config");
    const { runCli } = require("./lib/cli/cli");
    runCli(() => {
      const staging = structuredClone(ENVIRONMENT_INPUTS.staging);
      staging.aws.accountId = "12345";
      const production = structuredClone(ENVIRONMENT_INPUTS.production);
      delete production.logLevel;
      production.api.quota.limit = 0;
      parseEnvironments({ staging, production });
    });`;
  const run = spawnSync(process.execPath, ["-r", "./lib/transpile/register.cjs", "-e", script], {
    cwd: root,
    env: { ...process.env, MEDIA_DOWNLOADER_RELEASE: "" },
    encoding: "utf8",
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toBe(sample);
});
