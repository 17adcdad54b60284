import type { PlanJson } from "../engine/summary";

export interface AttributeChange {
  /** Terraform address of the resource instance. */
  readonly address: string;
  /** The change's actions, e.g. `update` or `delete,create`. */
  readonly actions: string;
  /** Attribute path, dotted, list indices as numbers (`default_cache_behavior.0.lambda_function_association`). */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

type Change = {
  address: string;
  change: {
    actions: string[];
    before?: unknown;
    after?: unknown;
    after_unknown?: unknown;
    replace_paths?: unknown;
  };
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v);

function walk(
  before: unknown,
  after: unknown,
  unknown: unknown,
  path: string[],
  out: [string, unknown, unknown][],
) {
  if (unknown === true) {
    out.push([path.join("."), before, "(known after apply)"]);
    return;
  }
  if (JSON.stringify(before) === JSON.stringify(after) && !unknownInside(unknown)) return;
  // A leaf, or a list that changed length: report it whole.
  const bothObjects = isObject(before) && isObject(after);
  const sameLengthLists = Array.isArray(before) && Array.isArray(after) && before.length === after.length;
  if (!bothObjects && !sameLengthLists) {
    out.push([path.join("."), before, after]);
    return;
  }
  const keys = bothObjects
    ? new Set([...Object.keys(before), ...Object.keys(after)])
    : new Set((before as unknown[]).map((_, i) => String(i)));
  for (const key of keys) {
    const pick = (v: unknown) => (v as Record<string, unknown> | undefined)?.[key];
    walk(pick(before), pick(after), pick(unknown), [...path, key], out);
  }
}

function unknownInside(v: unknown): boolean {
  if (v === true) return true;
  if (Array.isArray(v)) return v.some(unknownInside);
  if (isObject(v)) return Object.values(v).some(unknownInside);
  return false;
}

/**
 * Every attribute a plan would change, one entry per leaf that differs (before vs after, values known
 * only after apply included). A create or delete is one entry with an empty path.
 */
export function attributeChanges(plan: PlanJson): AttributeChange[] {
  const out: AttributeChange[] = [];
  for (const rc of (plan as { resource_changes?: Change[] }).resource_changes ?? []) {
    const actions = rc.change.actions.join(",");
    if (actions === "no-op" || actions === "read") continue;
    if (actions === "create" || actions === "delete" || actions === "forget") {
      out.push({ address: rc.address, actions, path: "", before: rc.change.before, after: rc.change.after });
      continue;
    }
    const leaves: [string, unknown, unknown][] = [];
    walk(rc.change.before, rc.change.after, rc.change.after_unknown, [], leaves);
    for (const [path, before, after] of leaves)
      out.push({ address: rc.address, actions, path, before, after });
    if (leaves.length === 0)
      out.push({ address: rc.address, actions, path: "", before: undefined, after: undefined });
  }
  return out;
}

/** One line per change, for a failing test's message. */
export function formatChanges(changes: readonly AttributeChange[]): string {
  const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v)?.slice(0, 200));
  return changes
    .map(
      (c) =>
        `  ${c.address} [${c.actions}] ${c.path || "(whole resource)"}: ${show(c.before)} -> ${show(c.after)}`,
    )
    .join("\n");
}
