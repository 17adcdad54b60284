import { ENVIRONMENT_INPUTS, loadEnvironments, type EnvironmentConfig } from "../../config";

/**
 * The environments the tests run over: every entry of config's ENVIRONMENT_INPUTS, never a hard-coded
 * list, so adding an environment adds it to every wiring test. Value tests look their expectations up in
 * `expected.ts` by environment name and skip environments it does not know.
 */
export interface TestEnvironment {
  /** The key in ENVIRONMENT_INPUTS (`staging`, `production`, ...). */
  readonly name: string;
  /** The stack main.ts creates for it. */
  readonly stackId: string;
  readonly config: EnvironmentConfig;
}

function withoutRelease<T>(body: () => T): T {
  const saved = process.env.MEDIA_DOWNLOADER_RELEASE;
  delete process.env.MEDIA_DOWNLOADER_RELEASE;
  try {
    return body();
  } finally {
    if (saved !== undefined) process.env.MEDIA_DOWNLOADER_RELEASE = saved;
  }
}

/** The committed environments, validated as the app does (without a release override). */
export function environments(): Record<string, EnvironmentConfig> {
  return withoutRelease(loadEnvironments);
}

/** The stack id main.ts gives an environment: the one its config names (config `stack`). */
export function stackIdOf(name: string): string {
  const config = environments()[name];
  if (!config) throw new Error(`no configured environment is called ${name}`);
  return config.stack;
}

/** Every configured environment with its stack id, in config order. */
export function testEnvironments(): TestEnvironment[] {
  const envs = environments();
  return Object.keys(ENVIRONMENT_INPUTS).map((name) => ({
    name,
    stackId: stackIdOf(name),
    config: envs[name],
  }));
}

/** The environment a stack id belongs to. */
export function environmentOfStack(stackId: string): TestEnvironment {
  const found = testEnvironments().find((e) => e.stackId === stackId);
  if (!found) throw new Error(`no configured environment has the stack id ${stackId}`);
  return found;
}

/** Stack ids of every configured environment, in config order. */
export function stackIds(): string[] {
  return testEnvironments().map((e) => e.stackId);
}
