import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../cli/cli";
import { findEngine, run, type Engine, type RunResult } from "../engine/engine";
import { installProvider, type ProviderInstall } from "../engine/install";
import { chooseProviderSource } from "../engine/source";
import { FILES, prepareWorkingCopy, type StackJson } from "../engine/working-copy";
import { AWS_PROVIDER_VERSION } from "../../stacks/requirements";
import type { PlanJson } from "../engine/summary";
import { emulatorOverride, overrideEndpoints } from "./override";
import { assertLoopback } from "./server";

/** The override file beside the working copy's cdk.tf.json (loaded after it: `_override` suffix). */
export const EMULATOR_OVERRIDE_FILE = "zz_emulator_override.tf.json";

export interface EngineSetup {
  readonly engine: Engine;
  readonly install: ProviderInstall;
}

/** The engine and one provider install (the preview's cache), for every stack run against the emulator. */
export async function setupEngine(
  workDir: string,
  options: { installRoot?: string; env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {},
): Promise<EngineSetup> {
  const env = options.env ?? process.env;
  const engine = findEngine(env);
  // The preview's choice, in its one place: a configured filesystem mirror, else the registry.
  const source = chooseProviderSource(env);
  const install = await installProvider({
    workDir,
    engine,
    baseEnv: env,
    source,
    version: AWS_PROVIDER_VERSION,
    log: options.log,
    root: options.installRoot,
  });
  return { engine, install };
}

export interface EngineStep extends RunResult {
  readonly args: readonly string[];
}

/**
 * One stack's working directory against the emulator: the synthesized stack as the preview rewrites it
 * (local backend, fake secrets instead of SOPS), the emulator override beside it, the shared install's
 * lock file. The state is a real one: apply, refresh, import and destroy run for real.
 */
export class EmulatedStack {
  readonly main: StackJson;
  readonly override: Record<string, unknown>;

  constructor(
    readonly stack: string,
    readonly dir: string,
    synthesized: StackJson,
    readonly endpoint: string,
    private readonly setup: EngineSetup,
  ) {
    assertLoopback(endpoint);
    const copy = prepareWorkingCopy(stack, synthesized);
    this.main = copy.main;
    this.override = emulatorOverride(copy.main, endpoint);
    for (const url of overrideEndpoints(this.override)) assertLoopback(url, `${stack} endpoint`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, FILES.main), `${JSON.stringify(copy.main, null, 2)}\n`);
    writeFileSync(join(dir, FILES.fakeSecrets), `${JSON.stringify(copy.fakeSecrets, null, 2)}\n`);
    writeFileSync(join(dir, EMULATOR_OVERRIDE_FILE), `${JSON.stringify(this.override, null, 2)}\n`);
    copyFileSync(setup.install.lockFile, join(dir, ".terraform.lock.hcl"));
  }

  /** The engine environment: the install's CLI config and data directory, no AWS_* of the caller. */
  get env(): NodeJS.ProcessEnv {
    return {
      ...this.setup.install.env,
      TF_DATA_DIR: this.setup.install.dataDir,
      // The provider must never find a real profile or credentials file.
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    };
  }

  /** Writes an extra configuration file into the working directory (import blocks, for example). */
  writeFile(name: string, content: unknown): void {
    writeFileSync(
      join(this.dir, name),
      typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`,
    );
  }

  removeFile(name: string): void {
    rmSync(join(this.dir, name), { force: true });
  }

  /** Runs the engine; throws with its output on an exit code not in `ok`. */
  async engine(args: readonly string[], ok: readonly number[] = [0]): Promise<EngineStep> {
    const result = await run(this.setup.engine.path, [...args, "-no-color"], {
      cwd: this.dir,
      env: this.env,
    });
    if (!ok.includes(result.code))
      throw new UserError(
        `${this.stack}: ${args[0]} failed (exit ${result.code}):\n${result.stderr.trim() || result.stdout.trim()}`,
      );
    return { ...result, args };
  }

  apply(extra: readonly string[] = []): Promise<EngineStep> {
    return this.engine(["apply", "-auto-approve", "-input=false", "-lock=false", ...extra]);
  }

  /**
   * A plan saved to `tfplan` and shown as JSON. `-detailed-exitcode`: 0 no changes, 2 changes.
   * Returns the plan and whether it had changes.
   */
  async plan(
    extra: readonly string[] = [],
    name = "tfplan",
  ): Promise<{ json: PlanJson; changes: boolean; text: string }> {
    const planned = await this.engine(
      ["plan", "-input=false", "-lock=false", "-detailed-exitcode", `-out=${name}`, ...extra],
      [0, 2],
    );
    const shown = await this.engine(["show", "-json", name]);
    return { json: JSON.parse(shown.stdout) as PlanJson, changes: planned.code === 2, text: planned.stdout };
  }

  /** The current state (`terraform.tfstate` of the local backend), or undefined before the first apply. */
  state(): StateFile | undefined {
    const file = join(this.dir, "terraform.tfstate");
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as StateFile) : undefined;
  }

  /** `address → id` of every managed resource instance in the state. */
  ids(): Map<string, string> {
    return stateIds(this.state());
  }
}

export interface StateFile {
  readonly resources?: readonly {
    readonly mode: string;
    readonly type: string;
    readonly name: string;
    readonly module?: string;
    readonly instances: readonly {
      readonly index_key?: string | number;
      readonly attributes?: Record<string, unknown>;
    }[];
  }[];
}

/** `address → id` of every managed resource instance in a state. */
export function stateIds(state: StateFile | undefined): Map<string, string> {
  const ids = new Map<string, string>();
  for (const r of state?.resources ?? []) {
    if (r.mode !== "managed") continue;
    for (const instance of r.instances) {
      const index =
        instance.index_key === undefined
          ? ""
          : typeof instance.index_key === "number"
            ? `[${instance.index_key}]`
            : `["${instance.index_key}"]`;
      const address = `${r.module ? `${r.module}.` : ""}${r.type}.${r.name}${index}`;
      ids.set(address, String(instance.attributes?.id ?? ""));
    }
  }
  return ids;
}
