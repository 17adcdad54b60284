import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../engine/engine";
import { LOCAL_BACKEND, type StackJson } from "../engine/working-copy";
import { emulatorOverride, overrideEndpoints } from "../emulator/override";
import { EMPTY_ZIP } from "../emulator/seed";
import { assertLoopback } from "../emulator/server";
import { EMULATOR_OVERRIDE_FILE, type EngineSetup } from "../emulator/workspace";
import {
  legacyConfiguration,
  type LegacyConfiguration,
  type ProviderSetting,
  type ResourceSchema,
} from "./legacy-config";
import {
  instanceAddress,
  legacyInstances,
  type LegacyStateFile,
  type StateInstance,
  type StateResource,
} from "./legacy-state";

/** The aws provider's resource schemas (`providers schema -json`) from the shared install. */
export async function awsSchemas(setup: EngineSetup): Promise<Record<string, ResourceSchema>> {
  const result = await run(setup.engine.path, ["providers", "schema", "-json"], {
    cwd: setup.install.dir,
    env: { ...setup.install.env, TF_DATA_DIR: setup.install.dataDir },
  });
  if (result.code !== 0) throw new Error(`providers schema -json failed: ${result.stderr.trim()}`);
  const schemas = JSON.parse(result.stdout) as {
    provider_schemas: Record<string, { resource_schemas: Record<string, ResourceSchema> }>;
  };
  const aws = Object.entries(schemas.provider_schemas).find(([address]) =>
    address.endsWith("/hashicorp/aws"),
  );
  if (!aws) throw new Error("providers schema -json has no hashicorp/aws");
  return aws[1].resource_schemas;
}

/** Region per alias of a stack's aws provider configurations. */
export function providerSettings(stack: StackJson): ProviderSetting[] {
  const configs = stack.provider?.aws;
  const list = (Array.isArray(configs) ? configs : configs ? [configs] : []) as Record<string, unknown>[];
  return list.map((c) => ({
    ...(typeof c.alias === "string" ? { alias: c.alias } : {}),
    region: String(c.region),
  }));
}

export interface Materialized {
  /** The state the legacy HCL would have written in this account: the legacy addresses, the new ids. */
  readonly state: LegacyStateFile;
  readonly generated: LegacyConfiguration;
  /** Instances created. */
  readonly created: number;
}

/**
 * The engine's state of the generated configuration, renamed back to the legacy addresses (an indexed
 * instance's `name__0` to `name[0]`, its dependencies likewise), plus the set-aside instances that stay in
 * the state as the legacy state held them.
 */
export function legacyStateFrom(
  applied: LegacyStateFile,
  legacy: LegacyStateFile,
  generated: LegacyConfiguration,
): LegacyStateFile {
  const legacyOf = new Map<string, { name: string; indexKey?: string | number }>();
  for (const instance of legacyInstances(legacy)) {
    const local = generated.localAddress.get(instance.address);
    if (local) legacyOf.set(local, { name: instance.name, indexKey: instance.indexKey });
  }
  const renameDependency = (dependency: string) => {
    const target = legacyOf.get(dependency);
    return target ? `${dependency.split(".")[0]}.${target.name}` : dependency;
  };
  const merged = new Map<string, StateResource & { instances: StateInstance[] }>();
  for (const resource of applied.resources) {
    if (resource.mode !== "managed") continue;
    const target = legacyOf.get(`${resource.type}.${resource.name}`);
    if (!target)
      throw new Error(
        `materialized state has ${resource.type}.${resource.name}, which no legacy instance made`,
      );
    const key = `${resource.type}.${target.name}`;
    const entry = merged.get(key) ?? {
      ...resource,
      name: target.name,
      ...(target.indexKey === undefined
        ? {}
        : { each: typeof target.indexKey === "number" ? "list" : "map" }),
      instances: [],
    };
    for (const instance of resource.instances)
      entry.instances.push({
        ...instance,
        ...(target.indexKey === undefined ? {} : { index_key: target.indexKey }),
        ...(instance.dependencies
          ? { dependencies: [...new Set(instance.dependencies.map(renameDependency))] }
          : {}),
      });
    merged.set(key, entry);
  }
  const kept = new Set(generated.setAside.filter((s) => s.keepInState).map((s) => s.address));
  const keptResources = legacy.resources
    .map((r) => ({
      ...r,
      instances: r.instances.filter((i) => kept.has(instanceAddress(r.type, r.name, i.index_key))),
    }))
    .filter((r) => r.instances.length > 0);
  return {
    version: 4,
    terraform_version: applied.terraform_version,
    serial: 1,
    lineage: legacy.lineage ?? applied.lineage,
    outputs: {},
    resources: [...merged.values(), ...keptResources],
    check_results: null,
  };
}

export interface MaterializeOptions {
  readonly legacy: LegacyStateFile;
  /** The adopting stack (its provider regions). */
  readonly stack: StackJson;
  readonly endpoint: string;
  readonly setup: EngineSetup;
  readonly schemas: Record<string, ResourceSchema>;
  /** An empty directory for the generated configuration and its state. */
  readonly dir: string;
}

/**
 * Writes the configuration that creates, in the emulator, every object the legacy state describes (see
 * legacy-config.ts) into an empty `dir`, with the override pointing it at the emulator and a stand-in
 * package. Seed the layer stand-ins it needs (seedLayers on its config) before Lambda runs without Docker,
 * then applyMaterialization.
 */
export function writeMaterialization(options: MaterializeOptions): LegacyConfiguration {
  const { dir, endpoint, setup } = options;
  assertLoopback(endpoint);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const packageFile = join(dir, "stand-in-package.zip");
  writeFileSync(packageFile, EMPTY_ZIP);
  const generated = legacyConfiguration(legacyInstances(options.legacy), {
    schemas: options.schemas,
    providers: providerSettings(options.stack),
    packageFile,
  });
  const override = emulatorOverride(generated.config as StackJson, endpoint);
  for (const url of overrideEndpoints(override)) assertLoopback(url, "legacy materialization endpoint");
  // The shared install's data directory was initialized with the working copies' local backend.
  const config = {
    ...generated.config,
    terraform: { ...(generated.config.terraform as Record<string, unknown>), backend: LOCAL_BACKEND },
  };
  writeFileSync(join(dir, "legacy.tf.json"), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(dir, EMULATOR_OVERRIDE_FILE), `${JSON.stringify(override, null, 2)}\n`);
  copyFileSync(setup.install.lockFile, join(dir, ".terraform.lock.hcl"));
  return generated;
}

/**
 * Applies the configuration writeMaterialization wrote and returns the real state that results, under
 * the legacy addresses.
 */
export async function applyMaterialization(
  options: MaterializeOptions,
  generated: LegacyConfiguration,
): Promise<Materialized> {
  const { dir, setup } = options;
  const env = {
    ...setup.install.env,
    TF_DATA_DIR: setup.install.dataDir,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  };
  const result = await run(
    setup.engine.path,
    ["apply", "-auto-approve", "-input=false", "-lock=false", "-no-color", "-parallelism=20"],
    { cwd: dir, env },
  );
  if (result.code !== 0) {
    // Each error with the lines that name its resource and say why, at most ten.
    const errors = result.stderr
      .split(/\n(?=Error: )/)
      .filter((block) => block.startsWith("Error: "))
      .slice(0, 10)
      .map((block) =>
        block
          .split("\n")
          .map((l) => l.trim())
          .filter((l) => l && !/^\d+:/.test(l))
          .slice(0, 4)
          .join(" "),
      )
      .join("\n");
    throw new Error(
      `materializing the legacy state failed (exit ${result.code}):\n${errors || result.stderr.trim()}`,
    );
  }
  const stateFile = join(dir, "terraform.tfstate");
  if (!existsSync(stateFile)) throw new Error("materializing the legacy state wrote no state");
  const applied = JSON.parse(readFileSync(stateFile, "utf8")) as LegacyStateFile;
  const created = applied.resources.reduce((n, r) => n + (r.mode === "managed" ? r.instances.length : 0), 0);
  return { state: legacyStateFrom(applied, options.legacy, generated), generated, created };
}
