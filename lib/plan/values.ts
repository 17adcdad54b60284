import type { PlanResourceChange } from "./plan-json";
import { isSecretPath, type SecretAttribute } from "./secrets";

/**
 * Walking a resource change's values leaf by leaf, with the engine's sensitivity and unknown marks.
 * Shared by the renderer (what to show) and the fingerprint (what to compare): both must treat a value
 * as sensitive in exactly the same places.
 */

export type Path = readonly (string | number)[];

/** Shown instead of a sensitive value (the engine's own wording). */
export const SENSITIVE = "(sensitive value)";
/** Shown instead of a value the engine computes during apply. */
export const UNKNOWN = "(known after apply)";
/** Values the offline preview substitutes for secrets. */
export const FAKE_SECRET_PREFIX = "FAKE-TEST-VALUE-";

/** Every leaf of a value: scalars, null, and empty objects/lists (so `{}` -> `{x: 1}` is visible). */
export function leaves(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [{ path, value }];
    return value.flatMap((v, i) => leaves(v, [...path, i]));
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return [{ path, value }];
    return entries.flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [{ path, value }];
}

/** True when a mark tree (`before_sensitive`, `after_unknown`, ...) is `true` at `path` or above it. */
export function markedAt(marks: unknown, path: Path): boolean {
  let node = marks;
  for (const key of path) {
    if (node === true) return true;
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node === true;
}

/** Paths at which a mark tree is `true`. */
export function markedPaths(marks: unknown, path: Path = []): Path[] {
  if (marks === true) return [path];
  if (Array.isArray(marks)) return marks.flatMap((m, i) => markedPaths(m, [...path, i]));
  if (marks && typeof marks === "object")
    return Object.entries(marks).flatMap(([k, m]) => markedPaths(m, [...path, k]));
  return [];
}

export const pathKey = (path: Path) => JSON.stringify(path);

/** `environment[0].variables.LOG_LEVEL` */
export function formatPath(path: Path): string {
  return path
    .map((p, i) =>
      typeof p === "number"
        ? `[${p}]`
        : /^[A-Za-z_][\w-]*$/.test(p)
          ? `${i ? "." : ""}${p}`
          : `[${JSON.stringify(p)}]`,
    )
    .join("");
}

export type Masked =
  | { readonly kind: "value"; readonly value: unknown }
  | { readonly kind: "sensitive" }
  | { readonly kind: "unknown" }
  | { readonly kind: "absent" };

export interface AttributeChange {
  readonly path: Path;
  readonly before: Masked;
  readonly after: Masked;
  /** The attribute carries a secret (read from SOPS in the synthesized stack). */
  readonly secret: boolean;
}

function lookup(value: unknown, path: Path): { found: boolean; value: unknown } {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== "object" || !(key in (node as object)))
      return { found: false, value: undefined };
    node = (node as Record<string | number, unknown>)[key];
  }
  return { found: true, value: node };
}

/** True for strings that must never be printed whatever their marks say. */
export function looksSecret(value: unknown): boolean {
  return typeof value === "string" && (value.includes(FAKE_SECRET_PREFIX) || /AGE-SECRET-KEY-1/i.test(value));
}

/**
 * The attribute-level changes of one resource change, with every sensitive, secret-bearing or
 * secret-looking value replaced by a mark. Unchanged leaves are left out.
 */
export function attributeChanges(
  change: PlanResourceChange,
  secrets: readonly SecretAttribute[] = [],
): AttributeChange[] {
  const { before, after, after_unknown, before_sensitive, after_sensitive } = change.change;
  const paths = new Map<string, Path>();
  for (const leaf of [...leaves(before ?? null), ...leaves(after ?? null)])
    paths.set(pathKey(leaf.path), leaf.path);
  for (const path of markedPaths(after_unknown)) paths.set(pathKey(path), path);
  // A path that is a strict prefix of another is a container, not a leaf: keep only the deepest.
  const all = [...paths.values()];
  const isContainer = (p: Path) => all.some((q) => q.length > p.length && p.every((k, i) => q[i] === k));
  const result: AttributeChange[] = [];
  for (const path of all) {
    if (path.length === 0 && (before == null || after == null)) continue; // whole-resource create/delete
    if (isContainer(path)) continue;
    const secret = isSecretPath(secrets, change.address, path);
    const side = (value: unknown, sensitive: unknown, unknown?: unknown): Masked => {
      if (unknown !== undefined && markedAt(unknown, path)) return { kind: "unknown" };
      const hit = lookup(value, path);
      if (!hit.found) return { kind: "absent" };
      if (secret || markedAt(sensitive, path) || looksSecret(hit.value)) return { kind: "sensitive" };
      return { kind: "value", value: hit.value };
    };
    const b = side(before, before_sensitive);
    const a = side(after, after_sensitive, after_unknown);
    const same =
      a.kind !== "unknown" &&
      JSON.stringify(lookup(before, path).value ?? null) ===
        JSON.stringify(lookup(after, path).value ?? null) &&
      lookup(before, path).found === lookup(after, path).found;
    if (same) continue;
    result.push({ path, before: b, after: a, secret });
  }
  return result.sort((x, y) => formatPath(x.path).localeCompare(formatPath(y.path)));
}
