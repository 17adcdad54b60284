import type { z } from "zod";
import { production } from "./production";
import { RELEASES } from "./releases";
import { Naming } from "../media-downloader/naming";
import { bootstrap } from "./bootstrap";
import {
  bootstrapConfigSchema,
  configErrorMap,
  environmentConfigSchema,
  type BootstrapConfigValues,
  type EnvironmentConfig,
} from "./schema";
import { staging } from "./staging";

export type { BootstrapConfigInput, EnvironmentConfig, EnvironmentConfigInput } from "./schema";

/** The committed bootstrap settings (accounts, repository), validated by loadBootstrap. */
export const BOOTSTRAP_INPUT = bootstrap;

/** The committed environments, by the name a stack class asks for. */
export const ENVIRONMENT_INPUTS = { staging, production } as const;
export type EnvironmentName = keyof typeof ENVIRONMENT_INPUTS;

/** A user's config mistake: every problem, one line each, naming the environment and the field. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function describe(environment: string, issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join(".") || "(root)";
  let message = issue.message;
  if (issue.code === "invalid_type" && /received undefined/.test(message)) {
    message = `missing (expected ${issue.expected})`;
  } else if (issue.code === "unrecognized_keys") {
    message = `unknown field(s) ${issue.keys.join(", ")}`;
  }
  return `config/${environment}: ${field}: ${message}`;
}

/** Validates one environment's raw config; throws ConfigError listing every problem. */
export function parseEnvironment(label: string, input: unknown): EnvironmentConfig {
  const result = environmentConfigSchema.safeParse(withRelease(label, input), { error: configErrorMap });
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => describe(label, issue)));
  return result.data;
}

/**
 * The release an environment runs comes from config/releases.ts. MEDIA_DOWNLOADER_RELEASE overrides it
 * for every environment: the offline preview uses it for a fake release, and the rollback workflow to
 * redeploy an earlier release that passed staging without a commit.
 */
function withRelease(label: string, input: unknown): unknown {
  const committed = Object.hasOwn(RELEASES, label) ? RELEASES[label as EnvironmentName] : undefined;
  const release = process.env.MEDIA_DOWNLOADER_RELEASE || committed;
  if (!release || typeof input !== "object" || input === null) return input;
  const artifacts = (input as { artifacts?: unknown }).artifacts;
  if (typeof artifacts !== "object" || artifacts === null) return input;
  return { ...input, artifacts: { ...artifacts, release } };
}

/** Validates every environment together, so one run reports all problems, and checks cross-environment rules. */
export function parseEnvironments(
  inputs: Readonly<Record<string, unknown>>,
): Record<string, EnvironmentConfig> {
  const problems: string[] = [];
  const parsed: Record<string, EnvironmentConfig> = {};
  for (const [label, input] of Object.entries(inputs)) {
    try {
      parsed[label] = parseEnvironment(label, input);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  const configs = Object.entries(parsed);
  const seen = (pick: (c: EnvironmentConfig) => string, what: string) => {
    const owners = new Map<string, string>();
    for (const [label, config] of configs) {
      const value = pick(config);
      const other = owners.get(value);
      if (other)
        problems.push(`config/${label}: ${what}: ${JSON.stringify(value)} is already used by ${other}`);
      owners.set(value, label);
    }
  };
  seen((c) => c.prefix, "prefix");
  seen((c) => c.environment, "environment");
  seen((c) => c.stack, "stack");
  seen((c) => `${c.backend.bucket}/${c.backend.key}`, "backend.key");
  seen((c) => c.secretsFile, "secretsFile");
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed;
}

export function loadEnvironments(): Record<EnvironmentName, EnvironmentConfig> {
  return parseEnvironments(ENVIRONMENT_INPUTS) as Record<EnvironmentName, EnvironmentConfig>;
}

/** One AWS account as the bootstrap sees it: its own settings and the environments deployed into it. */
export interface BootstrapAccount {
  readonly accountId: string;
  /** The account's state bucket (every environment in the account keeps its state there) and its region. */
  readonly stateBucket: string;
  readonly stateRegion: string;
  /** The bootstrap's own state key in that bucket. */
  readonly stateKey: string;
  readonly apiGatewayAccountRegions: readonly string[];
  readonly environments: readonly EnvironmentConfig[];
}

export interface BootstrapConfig {
  readonly repository: BootstrapConfigValues["repository"];
  readonly namePrefix: string;
  /** The GitHub environments whose jobs plan each environment (its plan role's subjects), for every environment. */
  readonly planEnvironments: Readonly<Record<string, readonly string[]>>;
  readonly accounts: readonly BootstrapAccount[];
}

/** Names the bootstrap creates in an account that no environment wildcard may reach. */
function bootstrapOwnedNames(namePrefix: string, environments: readonly EnvironmentConfig[]): string[] {
  return [
    ...new Set([
      `${namePrefix}-`,
      ...environments.flatMap((c) => [c.backend.bucket, c.artifacts.bucket, c.artifacts.edgeBucket]),
    ]),
  ];
}

/**
 * Validates config/bootstrap.ts against the (already validated) environments: every environment's
 * account is listed, no environment's name wildcard reaches another's (or the bootstrap's) resources,
 * and whatever enables API Gateway execution logging has an owner for the account setting. Throws a
 * ConfigError with one line per problem.
 */
export function parseBootstrap(
  input: unknown,
  environments: Readonly<Record<string, EnvironmentConfig>>,
): BootstrapConfig {
  const result = bootstrapConfigSchema.safeParse(input, { error: configErrorMap });
  if (!result.success)
    throw new ConfigError(result.error.issues.map((issue) => describe("bootstrap", issue)));
  const values = result.data;
  const problems: string[] = [];
  const byAccount = new Map<string, [string, EnvironmentConfig][]>();
  for (const [label, config] of Object.entries(environments)) {
    const account = values.accounts[config.aws.accountId];
    if (!account) {
      problems.push(
        `config/${label}: aws.accountId: ${config.aws.accountId} has no entry in config/bootstrap accounts`,
      );
      continue;
    }
    if (!config.aws.permissionsBoundary.startsWith(`${values.namePrefix}-`))
      problems.push(
        `config/${label}: aws.permissionsBoundary: expected a name starting with "${values.namePrefix}-" (the bootstrap's namespace)`,
      );
    if (
      config.api.executionLogging !== "OFF" &&
      !account.apiGatewayAccountRegions.includes(config.aws.region)
    )
      problems.push(
        `config/${label}: api.executionLogging: ${config.api.executionLogging} needs the API Gateway account setting in ${config.aws.accountId}/${config.aws.region}, which nothing owns (add ${config.aws.region} to config/bootstrap accounts.${config.aws.accountId}.apiGatewayAccountRegions)`,
      );
    if (!byAccount.has(config.aws.accountId)) byAccount.set(config.aws.accountId, []);
    byAccount.get(config.aws.accountId)!.push([label, config]);
  }
  const accounts: BootstrapAccount[] = [];
  for (const [accountId, members] of byAccount) {
    const [firstLabel, first] = members[0];
    for (const [label, config] of members.slice(1)) {
      if (config.backend.bucket !== first.backend.bucket || config.backend.region !== first.backend.region)
        problems.push(
          `config/${label}: backend.bucket: expected ${first.backend.bucket} in ${first.backend.region} like ${firstLabel} (one state bucket per account)`,
        );
    }
    for (const [i, [label, config]] of members.entries()) {
      const same = members.slice(0, i).find(([, other]) => other.prefix === config.prefix);
      if (same)
        problems.push(
          `config/${label}: prefix: "${config.prefix}" is already used by ${same[0]} in account ${accountId}`,
        );
      for (const [otherLabel, other] of members) {
        if (label !== otherLabel && config.prefix.startsWith(`${other.prefix}-`))
          problems.push(
            `config/${label}: prefix: "${config.prefix}" would be matched by ${otherLabel}'s wildcard "${other.prefix}-*" in account ${accountId}`,
          );
      }
      const owned = bootstrapOwnedNames(values.namePrefix, [...members.map(([, c]) => c)]);
      const naming = new Naming(config.prefix);
      const wildcards = [naming.name(""), naming.globalName("")];
      const reached = owned.filter((name) => wildcards.some((w) => name.startsWith(w)));
      if (reached.length > 0)
        problems.push(
          `config/${label}: prefix: "${config.prefix}": its wildcards would match the bootstrap's ${reached.join(", ")} in account ${accountId}`,
        );
      if (config.backend.key === values.accounts[accountId].stateKey)
        problems.push(
          `config/${label}: backend.key: ${config.backend.key} is the bootstrap's own state key in account ${accountId}`,
        );
    }
    accounts.push({
      accountId,
      stateBucket: first.backend.bucket,
      stateRegion: first.backend.region,
      stateKey: values.accounts[accountId].stateKey,
      apiGatewayAccountRegions: values.accounts[accountId].apiGatewayAccountRegions,
      environments: members.map(([, c]) => c),
    });
  }
  const planEnvironments = resolvePlanEnvironments(values.planEnvironments, environments, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    repository: values.repository,
    namePrefix: values.namePrefix,
    planEnvironments,
    accounts,
  };
}

/** The default GitHub environment of an environment's plan jobs, when config/bootstrap lists none. */
export const defaultPlanEnvironment = (environment: string) => `${environment}-plan`;

/**
 * Every environment's plan environments (listed, or the default), checked: each key names an environment,
 * no GitHub environment plans two environments (each plan role trusts its own), none is a deploy
 * environment (whose jobs hold the deploy role and key).
 */
function resolvePlanEnvironments(
  listed: Readonly<Record<string, readonly string[]>>,
  environments: Readonly<Record<string, EnvironmentConfig>>,
  problems: string[],
): Record<string, readonly string[]> {
  const names = Object.values(environments).map((c) => c.environment);
  for (const key of Object.keys(listed))
    if (!names.includes(key))
      problems.push(
        `config/bootstrap: planEnvironments.${key}: no environment named ${key} (expected one of ${names.join(", ")})`,
      );
  const resolved: Record<string, readonly string[]> = {};
  const owner = new Map<string, string>();
  for (const environment of names) {
    const list = Object.hasOwn(listed, environment)
      ? listed[environment]
      : [defaultPlanEnvironment(environment)];
    for (const github of list) {
      if (names.includes(github))
        problems.push(
          `config/bootstrap: planEnvironments.${environment}: ${github} is a deploy environment (its jobs hold the deploy role and key), not a plan environment`,
        );
      const other = owner.get(github);
      if (other !== undefined && other !== environment)
        problems.push(
          `config/bootstrap: planEnvironments.${environment}: ${github} already plans ${other} (one plan role per GitHub environment)`,
        );
      owner.set(github, environment);
    }
    resolved[environment] = [...list];
  }
  return resolved;
}

export function loadBootstrap(
  environments: Readonly<Record<string, EnvironmentConfig>> = loadEnvironments(),
): BootstrapConfig {
  return parseBootstrap(BOOTSTRAP_INPUT, environments);
}
