import { TerraformResource, type TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { ConfigError } from "../../config";
import { isStatefulType } from "../../lib/plan/stateful";

/**
 * How one environment's stack takes over the state its legacy HCL wrote at the same key. Every legacy
 * address appears exactly once, in one of three lists; the adoption tests check that against the legacy
 * state fixture in both directions.
 */
export interface AdoptionTable {
  /** Legacy address → construct path below the stack (e.g. `media-downloader/media-bucket/bucket`): a `moved` block. */
  readonly moves: Readonly<Record<string, string>>;
  /** Legacy address → why the object must outlive its state entry: `removed { lifecycle { destroy = false } }`. */
  readonly forget: Readonly<Record<string, string>>;
  /** Legacy address → why the new design drops it: `removed { lifecycle { destroy = true } }`, a planned delete. */
  readonly retire: Readonly<Record<string, string>>;
}

/** `type.name`, `type.name[0]` or `type.name["key"]`: a root-module resource instance address. */
const LEGACY_ADDRESS = /^([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(\[(\d+|"[^"]+")\])?$/;

export interface ResolvedMove {
  readonly from: string;
  readonly to: TerraformResource;
}

/** The type part of a legacy address. */
export function legacyType(address: string): string {
  return LEGACY_ADDRESS.exec(address)?.[1] ?? "";
}

/**
 * Checks a table against a stack and resolves each move's target. Every problem is one line naming the
 * table, the entry and what was expected; all of them are reported together (ConfigError).
 */
export function resolveAdoption(stack: TerraformStack, label: string, table: AdoptionTable): ResolvedMove[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const entry = (list: keyof AdoptionTable, address: string) =>
    `${label}: ${list}[${JSON.stringify(address)}]`;
  for (const list of ["moves", "forget", "retire"] as const) {
    for (const [address, value] of Object.entries(table[list])) {
      if (!LEGACY_ADDRESS.test(address)) {
        problems.push(
          `${entry(list, address)}: expected a legacy resource address such as aws_s3_bucket.Files`,
        );
        continue;
      }
      const other = seen.get(address);
      if (other) problems.push(`${entry(list, address)}: already listed in ${other}`);
      seen.set(address, list);
      if (list !== "moves" && !value.trim()) problems.push(`${entry(list, address)}: expected a reason`);
      if (list === "retire" && isStatefulType(legacyType(address)))
        problems.push(
          `${entry(list, address)}: ${legacyType(address)} holds data (lib/plan/stateful.ts); move it or forget it, never retire it`,
        );
    }
  }
  const moves: ResolvedMove[] = [];
  const targets = new Map<string, string>();
  for (const [from, path] of Object.entries(table.moves)) {
    if (!LEGACY_ADDRESS.test(from)) continue;
    const target = findByPath(stack, path);
    if (!target) {
      problems.push(`${entry("moves", from)}: no construct at ${stack.node.id}/${path}`);
      continue;
    }
    if (!(target instanceof TerraformResource)) {
      problems.push(`${entry("moves", from)}: ${path} is not a resource`);
      continue;
    }
    if (target.terraformResourceType !== legacyType(from)) {
      problems.push(
        `${entry("moves", from)}: ${path} is a ${target.terraformResourceType}, a moved block needs the same type (${legacyType(from)})`,
      );
      continue;
    }
    const previous = targets.get(path);
    if (previous) problems.push(`${entry("moves", from)}: ${path} is already the target of ${previous}`);
    targets.set(path, from);
    moves.push({ from, to: target });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return moves;
}

function findByPath(stack: TerraformStack, path: string): IConstruct | undefined {
  let node: IConstruct | undefined = stack;
  for (const id of path.split("/")) {
    node = node?.node.tryFindChild(id);
    if (!node) return undefined;
  }
  return node;
}

/**
 * Writes the table into the stack: `moved` blocks and `removed` blocks, each with an explicit
 * `lifecycle.destroy` (OpenTofu forgets and Terraform destroys when it is left out) and never a
 * `connection` or provisioner. The moved blocks are written directly, as cdktf's moveFromId would write
 * them: moveFromId also adds a validation that runs `terraform version` at synth, which fails the synth on
 * a machine without terraform (one with only tofu, or none: synth needs no engine) and costs a process
 * per stack. The engine version is the `required_version` constraint's job.
 */
export function applyAdoption(stack: TerraformStack, label: string, table: AdoptionTable): void {
  const moved = resolveAdoption(stack, label, table).map(({ from, to }) => ({
    from,
    to: `${to.terraformResourceType}.${to.friendlyUniqueId}`,
  }));
  if (moved.length > 0) stack.addOverride("moved", moved);
  const removed = [
    ...Object.keys(table.forget).map((from) => ({ from, lifecycle: { destroy: false } })),
    ...Object.keys(table.retire).map((from) => ({ from, lifecycle: { destroy: true } })),
  ].map(({ from, lifecycle }) => ({ from: from.replace(/\[[^\]]*\]$/, ""), lifecycle }));
  // A removed block names a resource, not an instance: one block per resource.
  const unique = [...new Map(removed.map((block) => [block.from, block])).values()];
  if (unique.length > 0) stack.addOverride("removed", unique);
}
