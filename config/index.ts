import type { z } from "zod";
import { production } from "./production";
import { configErrorMap, environmentConfigSchema, type EnvironmentConfig } from "./schema";
import { staging } from "./staging";

export type { EnvironmentConfig, EnvironmentConfigInput } from "./schema";

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
  const result = environmentConfigSchema.safeParse(withReleaseOverride(input), { error: configErrorMap });
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => describe(label, issue)));
  return result.data;
}

/** CI names the release it promotes through MEDIA_DOWNLOADER_RELEASE; it wins over the committed value. */
function withReleaseOverride(input: unknown): unknown {
  const release = process.env.MEDIA_DOWNLOADER_RELEASE;
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
  // The API Gateway account setting is one per account and region: exactly one owner each.
  const owners = new Map<string, string[]>();
  for (const [label, config] of configs) {
    const scope = `${config.aws.accountId}/${config.aws.region}`;
    if (!owners.has(scope)) owners.set(scope, []);
    if (config.api.ownsAccountSettings) owners.get(scope)!.push(label);
  }
  for (const [scope, labels] of owners) {
    if (labels.length > 1) {
      problems.push(
        `config/${labels[1]}: api.ownsAccountSettings: account/region ${scope} is already owned by ${labels[0]}`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed;
}

export function loadEnvironments(): Record<EnvironmentName, EnvironmentConfig> {
  return parseEnvironments(ENVIRONMENT_INPUTS) as Record<EnvironmentName, EnvironmentConfig>;
}
