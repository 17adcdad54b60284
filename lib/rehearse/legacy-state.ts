import { readFileSync } from "node:fs";
import { UserError } from "../cli/cli";

/** One resource of a Terraform/OpenTofu state file (format version 4), as far as the rehearsal reads it. */
export interface StateResource {
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly module?: string;
  readonly each?: string;
  readonly provider: string;
  readonly instances: readonly StateInstance[];
}

export interface StateInstance {
  readonly index_key?: string | number;
  readonly schema_version?: number;
  readonly attributes?: Record<string, unknown>;
  readonly sensitive_attributes?: unknown[];
  readonly private?: string;
  readonly dependencies?: string[];
}

export interface LegacyStateFile {
  readonly version: number;
  readonly terraform_version?: string;
  readonly serial?: number;
  readonly lineage?: string;
  readonly outputs?: Record<string, unknown>;
  readonly resources: readonly StateResource[];
  readonly check_results?: unknown;
}

/** One managed resource instance of a state, with its address. */
export interface LegacyInstance {
  /** `type.name`, `type.name[0]` or `type.name["key"]` (root module only: the legacy HCL has no modules). */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly indexKey?: string | number;
  /** The provider configuration's alias (`us_east_1`), or undefined for the default one. */
  readonly alias?: string;
  /** `hashicorp/aws`, `hashicorp/null`, ... */
  readonly provider: string;
  readonly schemaVersion: number;
  readonly attributes: Record<string, unknown>;
  /** The resources the engine recorded it depends on (`type.name`), when the state has them. */
  readonly dependencies?: readonly string[];
}

export function instanceAddress(type: string, name: string, indexKey?: string | number): string {
  const index =
    indexKey === undefined
      ? ""
      : typeof indexKey === "number"
        ? `[${indexKey}]`
        : `[${JSON.stringify(indexKey)}]`;
  return `${type}.${name}${index}`;
}

const PROVIDER_ADDRESS = /^provider\["(?:[^"/]+\/)?([^"]+\/[^"]+)"\](?:\.([A-Za-z_][\w-]*))?$/;

/** Every managed instance of a state, in state order. Data sources are left out (they hold nothing). */
export function legacyInstances(state: LegacyStateFile): LegacyInstance[] {
  const out: LegacyInstance[] = [];
  for (const resource of state.resources) {
    if (resource.mode !== "managed") continue;
    const provider = PROVIDER_ADDRESS.exec(resource.provider);
    for (const instance of resource.instances) {
      out.push({
        address: instanceAddress(resource.type, resource.name, instance.index_key),
        type: resource.type,
        name: resource.name,
        indexKey: instance.index_key,
        alias: provider?.[2],
        provider: provider?.[1] ?? resource.provider,
        schemaVersion: instance.schema_version ?? 0,
        attributes: instance.attributes ?? {},
        ...(instance.dependencies ? { dependencies: instance.dependencies } : {}),
      });
    }
  }
  return out;
}

/**
 * Reads a state file (`tofu state pull` output). Anything else is one user error naming the file: a
 * missing file, not JSON, not a version 4 state, a module address (the legacy HCL has none).
 */
export function readLegacyState(file: string): LegacyStateFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UserError(
      `${file}: cannot read the file (expected a state file, e.g. from \`tofu state pull\`)`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(`${file}: not JSON (expected a state file, e.g. from \`tofu state pull\`)`);
  }
  const state = json as Partial<LegacyStateFile>;
  if (typeof json !== "object" || json === null || state.version !== 4 || !Array.isArray(state.resources))
    throw new UserError(
      `${file}: not a state file (expected "version": 4 and a "resources" list, the output of \`tofu state pull\`)`,
    );
  for (const resource of state.resources) {
    if (
      !resource ||
      typeof resource.type !== "string" ||
      typeof resource.name !== "string" ||
      typeof resource.provider !== "string" ||
      !Array.isArray(resource.instances)
    )
      throw new UserError(
        `${file}: not a state file (a resource without type, name, provider and instances)`,
      );
    if (resource.module)
      throw new UserError(
        `${file}: ${resource.module}.${resource.type}.${resource.name}: module resources are not expected in the legacy state`,
      );
  }
  return json as LegacyStateFile;
}
