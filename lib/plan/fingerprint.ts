import { createHash } from "node:crypto";
import type { PlanJson, PlanResourceChange } from "./plan-json";
import { isSecretPath, type SecretAttribute } from "./secrets";
import { SENSITIVE, UNKNOWN, formatPath, leaves, looksSecret, markedAt, markedPaths } from "./values";

/**
 * The fingerprint of a plan's `resource_changes`: what the production approval compares between the
 * plan a reviewer read and the plan the approved job is about to apply. Sensitive values (the engine's
 * marks), secret-bearing attributes (read from SOPS) and anything that looks like a secret are replaced
 * by a mark first, so the fingerprint document can be shown, stored as an artifact and diffed.
 * No-op changes and data sources are left out: they change nothing.
 */

export interface FingerprintChange {
  readonly address: string;
  readonly actions: readonly string[];
  /** Leaf path -> value (or a mark), before and after. */
  readonly before: Readonly<Record<string, unknown>>;
  readonly after: Readonly<Record<string, unknown>>;
  readonly replace_paths?: readonly (readonly (string | number)[])[];
  readonly previous_address?: string;
}

export interface FingerprintDocument {
  readonly version: 1;
  readonly sha256: string;
  readonly changes: readonly FingerprintChange[];
}

function side(
  change: PlanResourceChange,
  value: unknown,
  sensitive: unknown,
  unknown: unknown,
  secrets: readonly SecretAttribute[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const entries = leaves(value ?? null);
  for (const path of markedPaths(unknown)) entries.push({ path, value: UNKNOWN });
  for (const { path, value: leaf } of entries) {
    const key = formatPath(path) || ".";
    if (unknown !== undefined && markedAt(unknown, path)) out[key] = UNKNOWN;
    else if (markedAt(sensitive, path) || isSecretPath(secrets, change.address, path) || looksSecret(leaf))
      out[key] = SENSITIVE;
    else out[key] = leaf;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** Keys sorted at every level, so equal documents serialize identically. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

export function fingerprint(plan: PlanJson, secrets: readonly SecretAttribute[] = []): FingerprintDocument {
  const changes: FingerprintChange[] = [];
  for (const change of plan.resource_changes ?? []) {
    const { actions } = change.change;
    if (change.mode !== "managed" || actions.every((a) => a === "no-op")) continue;
    changes.push({
      address: change.address,
      actions: [...actions],
      before: side(change, change.change.before, change.change.before_sensitive, undefined, secrets),
      after: side(
        change,
        change.change.after,
        change.change.after_sensitive,
        change.change.after_unknown,
        secrets,
      ),
      ...(change.change.replace_paths ? { replace_paths: change.change.replace_paths } : {}),
      ...(change.previous_address ? { previous_address: change.previous_address } : {}),
    });
  }
  changes.sort((a, b) => a.address.localeCompare(b.address));
  const sha256 = createHash("sha256").update(stable(changes)).digest("hex");
  return { version: 1, sha256, changes };
}

/** Human-readable differences between the reviewed fingerprint and the new one; empty when equal. */
export function compareFingerprints(reviewed: FingerprintDocument, current: FingerprintDocument): string[] {
  if (reviewed.sha256 === current.sha256 && stable(reviewed.changes) === stable(current.changes)) return [];
  const byAddress = (doc: FingerprintDocument) => new Map(doc.changes.map((c) => [c.address, c]));
  const before = byAddress(reviewed);
  const after = byAddress(current);
  const lines: string[] = [];
  const show = (v: unknown) => (v === undefined ? "(none)" : (JSON.stringify(v) ?? "null"));
  for (const address of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const r = before.get(address);
    const c = after.get(address);
    if (!c)
      lines.push(`${address}: was in the reviewed plan (${r!.actions.join(", ")}), is not in the new one`);
    else if (!r) lines.push(`${address}: not in the reviewed plan, now ${c.actions.join(", ")}`);
    else {
      if (stable(r.actions) !== stable(c.actions))
        lines.push(`${address}: actions ${r.actions.join(", ")} -> ${c.actions.join(", ")}`);
      for (const part of ["before", "after"] as const) {
        for (const key of [...new Set([...Object.keys(r[part]), ...Object.keys(c[part])])].sort()) {
          if (stable(r[part][key]) !== stable(c[part][key]))
            lines.push(`${address}: ${part} ${key}: ${show(r[part][key])} -> ${show(c[part][key])}`);
        }
      }
      if (stable(r.replace_paths ?? []) !== stable(c.replace_paths ?? []))
        lines.push(`${address}: replace_paths ${show(r.replace_paths)} -> ${show(c.replace_paths)}`);
      if (r.previous_address !== c.previous_address)
        lines.push(`${address}: moved from ${show(r.previous_address)} -> ${show(c.previous_address)}`);
    }
  }
  if (lines.length === 0) lines.push(`fingerprints differ: ${reviewed.sha256} -> ${current.sha256}`);
  return lines;
}

/** Reads a fingerprint document written by `npm run plan:fingerprint -- --write`; throws on a bad file. */
export function parseFingerprint(text: string, file: string): FingerprintDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not JSON (expected a fingerprint document)`);
  }
  const d = doc as Partial<FingerprintDocument>;
  if (d?.version !== 1 || typeof d.sha256 !== "string" || !Array.isArray(d.changes))
    throw new Error(`${file}: expected a fingerprint document (version 1, sha256, changes)`);
  // The stored hash must match its own changes, so an edited document cannot pass as the reviewed one.
  const sha256 = createHash("sha256").update(stable(d.changes)).digest("hex");
  if (sha256 !== d.sha256) throw new Error(`${file}: sha256 does not match its changes`);
  return d as FingerprintDocument;
}
