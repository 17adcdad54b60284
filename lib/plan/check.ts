import { readFileSync } from "node:fs";
import { UserError } from "../cli/cli";
import type { PlanAction, PlanJson, PlanResourceChange } from "./plan-json";
import { STATEFUL_TYPES, isStatefulType } from "./stateful";

/** What a plan would do to one resource that holds data, in the words plan:check and the PR comment use. */
export interface DestructiveChange {
  readonly address: string;
  readonly type: string;
  /** `delete`, `replace` (delete then create), `replace (create before destroy)` or `forget`. */
  readonly action: "delete" | "replace" | "replace (create before destroy)" | "forget";
  /** Why: the engine's action_reason, the attributes forcing replacement and what the type holds. */
  readonly reason: string;
  /** `forget` removes the resource from state and leaves it in AWS: reported, never refused. */
  readonly refused: boolean;
}

function same(actions: readonly PlanAction[], expected: readonly PlanAction[]): boolean {
  return actions.length === expected.length && actions.every((a, i) => a === expected[i]);
}

function classify(actions: readonly PlanAction[]): DestructiveChange["action"] | undefined {
  if (same(actions, ["delete", "create"])) return "replace";
  if (same(actions, ["create", "delete"])) return "replace (create before destroy)";
  if (same(actions, ["delete"])) return "delete";
  if (same(actions, ["forget"])) return "forget";
  // OpenTofu can forget the old object and create a new one in the same change.
  if (actions.includes("forget")) return "forget";
  return undefined;
}

function describePath(path: readonly (string | number)[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join("");
}

/**
 * Every change to a stateful resource (lib/plan/stateful.ts) that deletes, replaces or forgets it,
 * with its reason. Reads only fields both engines write (not `applyable`, `complete` or
 * `deferred_changes`, which OpenTofu omits). For the PR comment and `npm run plan:check`.
 */
export function destructiveChanges(plan: PlanJson): DestructiveChange[] {
  const changes: DestructiveChange[] = [];
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== "managed" || !isStatefulType(change.type)) continue;
    const action = classify(change.change.actions);
    if (!action) continue;
    changes.push({
      address: change.address,
      type: change.type,
      action,
      reason: reasonOf(change, action),
      refused: action !== "forget",
    });
  }
  return changes;
}

function reasonOf(change: PlanResourceChange, action: DestructiveChange["action"]): string {
  const parts: string[] = [];
  if (change.action_reason) parts.push(change.action_reason);
  const paths = change.change.replace_paths ?? [];
  if (paths.length > 0) parts.push(`forced by ${paths.map(describePath).join(", ")}`);
  if (action === "forget") parts.push("removed from state, left in AWS unmanaged");
  parts.push(`${change.type} ${STATEFUL_TYPES[change.type]}`);
  return parts.join("; ");
}

export interface PlanCheckResult {
  readonly ok: boolean;
  /** One line per finding: refused changes, allowed (audited) changes and forgets. */
  readonly lines: readonly string[];
}

/**
 * The plan:check verdict. `allow` names exact addresses that must be present in the plan as a refused
 * change; each becomes an audit line and lets nothing else through. An address not among them is a
 * user error (one line), so a stale or mistyped override never passes silently.
 */
export function checkPlan(plan: PlanJson, allow: readonly string[] = []): PlanCheckResult {
  const found = destructiveChanges(plan);
  const refusable = new Set(found.filter((c) => c.refused).map((c) => c.address));
  const unknown = allow.filter((address) => !refusable.has(address));
  if (unknown.length > 0) {
    const present = (plan.resource_changes ?? []).some((c) => c.address === unknown[0]);
    throw new UserError(
      `--allow ${unknown[0]}: ${present ? "this address is in the plan but is not a delete or replace of a stateful resource" : "no such address in the plan"}`,
    );
  }
  const allowed = new Set(allow);
  const lines: string[] = [];
  let ok = true;
  for (const change of found) {
    if (!change.refused) {
      lines.push(`notice: ${change.address}: forget (${change.reason})`);
    } else if (allowed.has(change.address)) {
      lines.push(`audit: allowed by --allow: ${change.address}: ${change.action} (${change.reason})`);
    } else {
      ok = false;
      lines.push(`refused: ${change.address}: ${change.action} (${change.reason})`);
    }
  }
  const refused = found.filter((c) => c.refused && !allowed.has(c.address)).length;
  lines.push(
    ok
      ? `plan:check passed: no stateful resource is deleted or replaced${allowed.size > 0 ? ` except ${allowed.size} allowed above` : ""}`
      : `plan:check failed: ${refused} stateful resource(s) would be deleted or replaced (rerun with --allow <address> only if that is intended)`,
  );
  return { ok, lines };
}

/** Reads a `show -json` plan file; anything else is one user error naming the file. */
export function readPlanFile(file: string): PlanJson {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UserError(`${file}: cannot read the file`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(`${file}: not JSON (expected the output of \`terraform show -json <planfile>\`)`);
  }
  const plan = json as Partial<PlanJson>;
  if (
    typeof json !== "object" ||
    json === null ||
    typeof plan.format_version !== "string" ||
    (plan.resource_changes !== undefined && !Array.isArray(plan.resource_changes)) ||
    !("planned_values" in plan || "resource_changes" in plan)
  )
    throw new UserError(
      `${file}: not a plan (expected the output of \`terraform show -json <planfile>\` with format_version and resource_changes)`,
    );
  return json as PlanJson;
}
