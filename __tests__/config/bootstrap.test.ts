import {
  BOOTSTRAP_INPUT,
  ConfigError,
  ENVIRONMENT_INPUTS,
  parseBootstrap,
  parseEnvironment,
  type EnvironmentConfig,
} from "../../config";
import { environments } from "../helpers/synth";

type Mutable = Record<string, unknown>;
const input = (): Mutable => structuredClone(BOOTSTRAP_INPUT) as unknown as Mutable;
const envs = (): Record<string, EnvironmentConfig> => structuredClone(environments());

function problems(
  bootstrap: unknown,
  environmentConfigs: Record<string, EnvironmentConfig> = envs(),
): string[] {
  try {
    parseBootstrap(bootstrap, environmentConfigs);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

test("the committed bootstrap config is valid and lists every environment's account", () => {
  const parsed = parseBootstrap(BOOTSTRAP_INPUT, environments());
  const listed = parsed.accounts.flatMap((a) => a.environments.map((c) => c.environment)).sort();
  expect(listed).toEqual(
    Object.values(environments())
      .map((c) => c.environment)
      .sort(),
  );
});

test("an environment whose account has no entry: one line naming it", () => {
  const configs = envs();
  configs.production.aws.accountId = "210987654321";
  expect(problems(input(), configs)).toEqual([
    "config/production: aws.accountId: 210987654321 has no entry in config/bootstrap accounts",
  ]);
});

test("a repository without an owner, or with a malformed name: one line each", () => {
  const bootstrap = input();
  (bootstrap.repository as Mutable).owner = undefined;
  (bootstrap.repository as Mutable).name = "not a repo";
  expect(problems(bootstrap)).toEqual([
    "config/bootstrap: repository.owner: missing (expected the GitHub owner)",
    "config/bootstrap: repository.name: expected a GitHub repository name such as j0nathan-ll0yd",
  ]);
});

test("two environments with the same prefix in one account: one line", () => {
  const configs = envs();
  configs.production.prefix = configs.staging.prefix;
  expect(problems(input(), configs)).toEqual([
    `config/production: prefix: "stag" is already used by staging in account 123456789012`,
  ]);
});

test("a prefix with a '-' never reaches the bootstrap: the environment format rejects it in one line", () => {
  const production = { ...structuredClone(ENVIRONMENT_INPUTS.production), prefix: "stag-eu" };
  expect(() => parseEnvironment("production", production)).toThrow(
    /^invalid configuration:\n {2}- config\/production: prefix: expected 2-8 lower-case letters or digits, such as stag, got "stag-eu"$/,
  );
});

// The format above forbids '-' today; the wildcard rule holds on its own should the format change.
test("a prefix another environment's wildcard matches (stag and stag-eu): one line", () => {
  const configs = envs();
  configs.production.prefix = "stag-eu";
  expect(problems(input(), configs)).toEqual([
    `config/production: prefix: "stag-eu" would be matched by staging's wildcard "stag-*" in account 123456789012`,
  ]);
});

test("a prefix whose wildcards reach the bootstrap's own buckets: one line", () => {
  const configs = envs();
  configs.production.prefix = "media";
  expect(problems(input(), configs)).toEqual([
    `config/production: prefix: "media": its wildcards would match the bootstrap's lifegames-media-downloader-tfstate, lifegames-media-downloader-artifacts, lifegames-media-downloader-artifacts-us-east-1 in account 123456789012`,
  ]);
});

test("execution logging where nothing owns the API Gateway account setting: one line", () => {
  const bootstrap = input();
  const accounts = bootstrap.accounts as Record<string, Mutable>;
  accounts["123456789012"].apiGatewayAccountRegions = [];
  // Production alone logs: every other environment (staging, and any added by config) turns logging off.
  const configs = envs();
  for (const [name, config] of Object.entries(configs))
    if (name !== "production") config.api.executionLogging = "OFF";
  expect(problems(bootstrap, configs)).toEqual([
    "config/production: api.executionLogging: INFO needs the API Gateway account setting in 123456789012/us-west-2, which nothing owns (add us-west-2 to config/bootstrap accounts.123456789012.apiGatewayAccountRegions)",
  ]);
});

test("a permissions boundary outside the bootstrap's namespace: one line", () => {
  const configs = envs();
  configs.staging.aws.permissionsBoundary = "stag-boundary";
  expect(problems(input(), configs)).toEqual([
    'config/staging: aws.permissionsBoundary: expected a name starting with "lifegames-" (the bootstrap\'s namespace)',
  ]);
});

describe("plan environments (each environment's plan role trusts exactly these GitHub environments)", () => {
  const planEnvironments = (bootstrap: Mutable) => bootstrap.planEnvironments as Record<string, unknown>;

  test("every environment gets its list; one not listed gets <environment>-plan", () => {
    const bootstrap = input();
    const first = Object.values(envs())[0].environment;
    delete planEnvironments(bootstrap)[first];
    const parsed = parseBootstrap(bootstrap, envs());
    expect(Object.keys(parsed.planEnvironments).sort()).toEqual(
      Object.values(envs())
        .map((c) => c.environment)
        .sort(),
    );
    expect(parsed.planEnvironments[first]).toEqual([`${first}-plan`]);
  });

  test("a malformed GitHub environment name, or an empty list: one line each", () => {
    const bootstrap = input();
    const [first, second] = Object.values(envs()).map((c) => c.environment);
    planEnvironments(bootstrap)[first] = ["staging plan"];
    planEnvironments(bootstrap)[second] = [];
    expect(problems(bootstrap)).toEqual([
      `config/bootstrap: planEnvironments.${first}.0: expected a GitHub environment name such as staging-plan`,
      `config/bootstrap: planEnvironments.${second}: expected at least one GitHub environment`,
    ]);
  });

  test("an entry for no environment: one line", () => {
    const bootstrap = input();
    planEnvironments(bootstrap).qa = ["qa-plan"];
    const names = Object.values(envs()).map((c) => c.environment);
    expect(problems(bootstrap)).toEqual([
      `config/bootstrap: planEnvironments.qa: no environment named qa (expected one of ${names.join(", ")})`,
    ]);
  });

  test("one GitHub environment planning two environments: one line (one plan role per GitHub environment)", () => {
    const bootstrap = input();
    const [first, second] = Object.values(envs()).map((c) => c.environment);
    planEnvironments(bootstrap)[second] = [`${first}-plan`];
    planEnvironments(bootstrap)[first] = [`${first}-plan`];
    expect(problems(bootstrap)).toEqual([
      `config/bootstrap: planEnvironments.${second}: ${first}-plan already plans ${first} (one plan role per GitHub environment)`,
    ]);
  });

  test("a deploy environment as a plan environment: one line", () => {
    const bootstrap = input();
    const [first, second] = Object.values(envs()).map((c) => c.environment);
    planEnvironments(bootstrap)[first] = [second];
    expect(problems(bootstrap)).toEqual([
      `config/bootstrap: planEnvironments.${first}: ${second} is a deploy environment (its jobs hold the deploy role and key), not a plan environment`,
    ]);
  });
});
