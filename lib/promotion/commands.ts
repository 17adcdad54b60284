import { S3Client } from "@aws-sdk/client-s3";
import { loadEnvironments, type EnvironmentConfig, type EnvironmentName } from "../../config";
import { UserError } from "../cli/cli";
import { checkPasses, recordPass, requiredPasses } from "./record";

/** The two promotion commands, over an S3 client the caller gives (tests: a local s3rver). */

function environmentOf(
  name: string,
  environments: Readonly<Record<string, EnvironmentConfig>>,
): { name: EnvironmentName; config: EnvironmentConfig; release: string } {
  if (!Object.hasOwn(environments, name))
    throw new UserError(
      `unknown environment ${name}; expected one of ${Object.keys(environments).join(", ")}`,
    );
  const config = environments[name];
  const release = config.artifacts.release;
  if (!release)
    throw new UserError(`${name} has no release: set it in config/releases.ts (or MEDIA_DOWNLOADER_RELEASE)`);
  return { name: name as EnvironmentName, config, release };
}

export function defaultClient(config: EnvironmentConfig): S3Client {
  return new S3Client({ region: config.aws.region });
}

/** Where a run is, for the record: GitHub's variables, or "local". */
function runUrl(env: NodeJS.ProcessEnv): string {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = env;
  return GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_RUN_ID
    ? `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`
    : "local";
}

/** `release:record -- <environment>`: the environment's release passed it. Returns the line to print. */
export async function recordCommand(
  name: string,
  options: {
    client?: S3Client;
    env?: NodeJS.ProcessEnv;
    environments?: Record<string, EnvironmentConfig>;
  } = {},
): Promise<string> {
  const env = options.env ?? process.env;
  const { config, release } = environmentOf(name, options.environments ?? loadEnvironments());
  const client = options.client ?? defaultClient(config);
  const key = await recordPass(client, config.artifacts.bucket, {
    release,
    environment: name,
    commit: env.GITHUB_SHA ?? "local",
    runUrl: runUrl(env),
    passedAt: new Date().toISOString(),
  });
  return `recorded: release ${release} passed ${name} (s3://${config.artifacts.bucket}/${key})`;
}

/**
 * `release:passed -- <environment> [--rollback]`: the release configured for the environment passed
 * every environment that gates it. Throws a UserError listing what is missing.
 */
export async function passedCommand(
  name: string,
  options: {
    rollback?: boolean;
    client?: S3Client;
    environments?: Record<string, EnvironmentConfig>;
  } = {},
): Promise<string> {
  const {
    name: environment,
    config,
    release,
  } = environmentOf(name, options.environments ?? loadEnvironments());
  const gates = requiredPasses(environment, { rollback: options.rollback });
  if (gates.length === 0) return `release ${release} may deploy to ${name}: nothing gates it`;
  const client = options.client ?? defaultClient(config);
  const results = await checkPasses(client, config.artifacts.bucket, release, gates);
  const problems = results.flatMap((r) => (r.ok ? [] : [r.problem]));
  if (problems.length > 0)
    throw new UserError(
      `release ${release} may not deploy to ${name}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  return `release ${release} may deploy to ${name}: passed ${results
    .map((r) => (r.ok ? `${r.environment} (${r.record.runUrl}, ${r.record.passedAt})` : ""))
    .join(", ")}`;
}
