import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../engine/engine";
import { LOCAL_BACKEND, type StackJson } from "../engine/working-copy";
import { emulatorOverride } from "../emulator/override";
import { EMULATOR_OVERRIDE_FILE, type EngineSetup } from "../emulator/workspace";
import { instanceAddress, type LegacyStateFile } from "./legacy-state";
import { providerSettings } from "./materialize";

export interface ReadOptions {
  /** The stack whose provider regions to use. */
  readonly stack: StackJson;
  readonly endpoint: string;
  readonly setup: EngineSetup;
  /** An empty directory for the read. */
  readonly dir: string;
}

/**
 * Which of `addresses` no longer exist in the (emulated) account: a refresh-only plan of a state holding
 * just them, with no configuration, reads each object by its id (the provider's own read, so any type is
 * checked the same way) and reports a vanished one as deleted. Nothing is planned or applied: a
 * refresh-only plan never changes an object.
 */
export async function forgottenStillExist(
  state: LegacyStateFile,
  addresses: readonly string[],
  options: ReadOptions,
): Promise<string[]> {
  if (addresses.length === 0) return [];
  const wanted = new Set(addresses);
  const subset: LegacyStateFile = {
    ...state,
    resources: state.resources
      .map((r) => ({
        ...r,
        instances: r.instances.filter((i) => wanted.has(instanceAddress(r.type, r.name, i.index_key))),
      }))
      .filter((r) => r.instances.length > 0),
  };
  const { dir, setup } = options;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const config = {
    terraform: { backend: LOCAL_BACKEND, required_providers: { aws: { source: "hashicorp/aws" } } },
    provider: { aws: providerSettings(options.stack) },
  };
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config));
  writeFileSync(
    join(dir, EMULATOR_OVERRIDE_FILE),
    JSON.stringify(emulatorOverride(config as StackJson, options.endpoint)),
  );
  writeFileSync(join(dir, "terraform.tfstate"), JSON.stringify(subset));
  copyFileSync(setup.install.lockFile, join(dir, ".terraform.lock.hcl"));
  const env = {
    ...setup.install.env,
    TF_DATA_DIR: setup.install.dataDir,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  };
  const planned = await run(
    setup.engine.path,
    ["plan", "-refresh-only", "-input=false", "-lock=false", "-no-color", "-out=read.tfplan"],
    { cwd: dir, env },
  );
  if (planned.code !== 0) throw new Error(`reading the forgotten objects failed: ${planned.stderr.trim()}`);
  const shown = await run(setup.engine.path, ["show", "-json", "read.tfplan"], { cwd: dir, env });
  if (shown.code !== 0) throw new Error(`reading the forgotten objects failed: ${shown.stderr.trim()}`);
  const plan = JSON.parse(shown.stdout) as {
    resource_drift?: { address: string; change: { actions: string[] } }[];
  };
  return (plan.resource_drift ?? []).filter((d) => d.change.actions.includes("delete")).map((d) => d.address);
}
