import type { PlanJson, PlanResourceChange } from "./plan-json";
import { formatSecretAttribute, type SecretAttribute } from "./secrets";
import { destructiveChanges as checkedChanges } from "./check";
import { STATEFUL_TYPES } from "./stateful";
import {
  SENSITIVE,
  UNKNOWN,
  attributeChanges,
  formatPath,
  type AttributeChange,
  type Masked,
} from "./values";

/**
 * The Markdown a plan is shown as: PR comments, job summaries and drift issues all use this one
 * renderer. Summary first (counts per action, then every destructive change with its reason), details
 * collapsed, never a sensitive value, and never longer than `limit` characters.
 */

/** GitHub's maximum length of an issue or pull-request comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export type Kind = "create" | "update" | "replace" | "delete" | "forget" | "read" | "no-op";
export const COUNTED = ["create", "update", "replace", "delete"] as const;

export function kindOf(actions: readonly string[]): Kind {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  if (actions.includes("forget") && actions.includes("create")) return "replace";
  const first = actions[0];
  if (
    first === "create" ||
    first === "update" ||
    first === "delete" ||
    first === "forget" ||
    first === "read"
  )
    return first;
  return "no-op";
}

export interface DestructiveChange {
  readonly address: string;
  readonly type: string;
  readonly kind: "replace" | "delete" | "forget";
  /** Why the type holds data (from lib/plan/stateful.ts); undefined for a type that holds none. */
  readonly holds?: string;
  /** Why the engine plans it: the attributes forcing a replacement, a removed block, ... */
  readonly cause: string;
}

const CAUSES: Readonly<Record<string, string>> = {
  replace_because_tainted: "the resource is tainted",
  replace_by_request: "replacement was requested (-replace)",
  replace_by_triggers: "replace_triggered_by fired",
  delete_because_no_resource_config: "it is no longer in the configuration",
  delete_because_no_module: "its module is no longer in the configuration",
  delete_because_wrong_repetition: "count/for_each changed shape",
  delete_because_count_index: "its count index is gone",
  delete_because_each_key: "its for_each key is gone",
  delete_because_no_move_target: "a moved block points at nothing",
};

function causeOf(change: PlanResourceChange, kind: DestructiveChange["kind"]): string {
  if (kind === "forget") return "it will be removed from the state but not destroyed (OpenTofu `forget`)";
  const paths = change.change.replace_paths ?? [];
  if (kind === "replace" && paths.length > 0)
    return `forced by a change to ${paths.map((p) => `\`${formatPath(p)}\``).join(", ")}`;
  return (
    CAUSES[change.action_reason ?? ""] ??
    (kind === "replace" ? "the provider cannot update it in place" : "planned deletion")
  );
}

/**
 * Every managed resource the plan deletes, replaces or forgets, data-holding types first. Which of them
 * hold data comes from plan:check's rules (lib/plan/check.ts), so the
 * comment highlights exactly what `npm run plan:check` refuses or reports.
 */
export function destructiveChanges(plan: PlanJson): DestructiveChange[] {
  const judged = new Map(checkedChanges(plan).map((c) => [c.address, c]));
  const found: DestructiveChange[] = [];
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== "managed") continue;
    const kind = kindOf(change.change.actions);
    if (kind !== "replace" && kind !== "delete" && kind !== "forget") continue;
    found.push({
      address: change.address,
      type: change.type,
      kind,
      holds: judged.has(change.address) ? STATEFUL_TYPES[change.type] : undefined,
      cause: causeOf(change, kind),
    });
  }
  return found.sort((a, b) => Number(!a.holds) - Number(!b.holds) || a.address.localeCompare(b.address));
}

export interface PlanCounts {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly forget: number;
  readonly read: number;
  /** Updates whose only changes are substituted secrets (substituted plans only). */
  readonly secretsOnly: number;
}

export interface RenderOptions {
  /** Stack id, e.g. prod-stack. */
  readonly stack: string;
  /** First word of the heading. @default "Plan" */
  readonly heading?: string;
  /** Markdown lines shown under the heading (commit, release, what the plan is for). */
  readonly context?: readonly string[];
  /** Link to the workflow run: where the full plan is when the body is cut. */
  readonly runUrl?: string;
  /** Maximum length of the result. @default GITHUB_COMMENT_LIMIT */
  readonly limit?: number;
  /** Attributes that carry secrets (lib/plan/secrets.ts); their values are never shown. */
  readonly secrets?: readonly SecretAttribute[];
  /**
   * The plan was made with substituted (fake) secrets: secret-bearing attributes were not compared, so
   * changes to them are left out and listed by name.
   */
  readonly substituted?: boolean;
}

interface Entry {
  readonly change: PlanResourceChange;
  readonly kind: Kind;
  readonly attributes: readonly AttributeChange[];
  readonly secretsNotCompared: boolean;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const code = (s: string) => `<code>${escapeHtml(s)}</code>`;
const MAX_VALUE = 160;

function showValue(masked: Masked): string {
  switch (masked.kind) {
    case "sensitive":
      return code(SENSITIVE);
    case "unknown":
      return code(UNKNOWN);
    case "absent":
      return code("(none)");
    default: {
      const text = JSON.stringify(masked.value) ?? "null";
      return code(text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text);
    }
  }
}

const SIGN: Readonly<Record<Kind, string>> = {
  create: "+ create",
  update: "~ update",
  replace: "-/+ replace",
  delete: "- delete",
  forget: "forget",
  read: "<= read",
  "no-op": "no-op",
};

function entries(plan: PlanJson, options: RenderOptions): Entry[] {
  const secrets = options.secrets ?? [];
  const result: Entry[] = [];
  for (const change of plan.resource_changes ?? []) {
    const kind = kindOf(change.change.actions);
    if (kind === "no-op" || change.mode === "data") continue;
    const all = kind === "update" || kind === "replace" ? attributeChanges(change, secrets) : [];
    const attributes = options.substituted ? all.filter((a) => !a.secret) : all;
    result.push({ change, kind, attributes, secretsNotCompared: attributes.length < all.length });
  }
  return result;
}

export function countChanges(
  plan: PlanJson,
  options: Pick<RenderOptions, "secrets" | "substituted"> = {},
): PlanCounts {
  const counts = { create: 0, update: 0, replace: 0, delete: 0, forget: 0, read: 0, secretsOnly: 0 };
  for (const change of plan.resource_changes ?? []) {
    const kind = kindOf(change.change.actions);
    if (kind === "read") counts.read++;
    if (change.mode === "data" || kind === "no-op" || kind === "read") continue;
    if (kind === "update" && options.substituted) {
      const all = attributeChanges(change, options.secrets ?? []);
      if (all.length > 0 && all.every((a) => a.secret)) {
        counts.secretsOnly++;
        continue;
      }
    }
    counts[kind]++;
  }
  return counts;
}

/** `2 to create, 1 to update, 1 to replace, 0 to delete` */
export function formatCounts(counts: PlanCounts): string {
  const parts = COUNTED.map((k) => `${counts[k]} to ${k}`);
  if (counts.forget > 0) parts.push(`${counts.forget} to forget`);
  return parts.join(", ");
}

function entryLines(entry: Entry): string[] {
  const lines = [`- **${SIGN[entry.kind]}** \`${entry.change.address}\``];
  if (entry.change.previous_address) lines[0] += ` (moved from \`${entry.change.previous_address}\`)`;
  for (const a of entry.attributes)
    lines.push(`  - \`${formatPath(a.path)}\`: ${showValue(a.before)} → ${showValue(a.after)}`);
  if (entry.secretsNotCompared)
    lines.push("  - secret-bearing attributes not compared (substituted secrets)");
  return lines;
}

/**
 * Takes `items` (each a block of text) while they fit in `budget` characters; returns the blocks kept
 * and how many were left out.
 */
function fit(items: readonly string[], budget: number): { kept: string[]; omitted: number } {
  const kept: string[] = [];
  let used = 0;
  for (const item of items) {
    if (used + item.length + 1 > budget) break;
    kept.push(item);
    used += item.length + 1;
  }
  return { kept, omitted: items.length - kept.length };
}

/** Renders a plan JSON (`show -json`) as Markdown of at most `limit` characters. */
export function renderPlan(plan: PlanJson, options: RenderOptions): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const counts = countChanges(plan, options);
  const destructive = destructiveChanges(plan);
  const list = entries(plan, options);
  const runLink = options.runUrl ? `[the workflow run](${options.runUrl})` : "the workflow run";
  const nothing = COUNTED.every((k) => counts[k] === 0) && counts.forget === 0;

  const head: string[] = [];
  const heading = options.heading ?? "Plan";
  head.push(`### ${heading}: \`${options.stack}\` — ${nothing ? "no changes" : formatCounts(counts)}`, "");
  for (const line of options.context ?? []) head.push(line);
  if (options.context?.length) head.push("");
  head.push(
    "| stack | create | update | replace | delete |",
    "| --- | ---: | ---: | ---: | ---: |",
    `| \`${options.stack}\` | ${counts.create} | ${counts.update} | ${counts.replace} | ${counts.delete} |`,
    "",
  );
  const extras: string[] = [];
  if (counts.forget > 0) extras.push(`${counts.forget} to forget (removed from state, not destroyed)`);
  if (counts.read > 0) extras.push(`${counts.read} data source(s) read during apply`);
  const moved = list.filter((e) => e.change.previous_address).length;
  if (moved > 0) extras.push(`${moved} moved`);
  const drift = (plan as { resource_drift?: readonly PlanResourceChange[] }).resource_drift ?? [];
  if (drift.length > 0)
    extras.push(`${drift.length} changed outside OpenTofu/Terraform since the last apply`);
  if (extras.length > 0) head.push(`Also: ${extras.join("; ")}.`, "");

  const fixedTail: string[] = [];
  if (options.substituted) {
    const secretNames = (options.secrets ?? []).map(formatSecretAttribute);
    fixedTail.push(
      `> [!NOTE]\n> Planned with **substituted secrets** (fake values, as the offline preview does): the ${secretNames.length} secret-bearing attribute(s) below were **not compared**${counts.secretsOnly ? `, and ${counts.secretsOnly} update(s) that change only them are not counted` : ""}.`,
      "",
      `<details><summary>Secret-bearing attributes not compared (${secretNames.length})</summary>\n`,
      ...secretNames.map((n) => `- \`${n}\``),
      "",
      "</details>",
      "",
    );
  }
  fixedTail.push("Sensitive values are never shown; they appear as `(sensitive value)`.");

  const cutNotice = (omitted: number, what: string) =>
    `- … ${omitted} more ${what} not shown (this text is limited to ${limit} characters): the full plan is in ${runLink}.`;
  const reserve = 400; // room for the cut notices

  const destructiveBlocks = destructive.map(
    (d) =>
      `- ${d.holds ? "⚠️ " : ""}**${d.kind}** \`${d.address}\` — ${d.holds ? `**holds data**: ${d.holds}; ` : ""}${d.cause}`,
  );
  const headText = head.join("\n");
  const tailText = fixedTail.join("\n");
  let budget = limit - headText.length - tailText.length - reserve;

  const body: string[] = [headText];
  if (destructive.length > 0) {
    const stateful = destructive.filter((d) => d.holds).length;
    const intro =
      stateful > 0
        ? `> [!CAUTION]\n> **${destructive.length} destructive change(s), ${stateful} to resources that hold data.**\n`
        : `**${destructive.length} destructive change(s)** (none to a resource that holds data):\n`;
    const { kept, omitted } = fit(destructiveBlocks, Math.floor(budget / 2) - intro.length);
    const section = [
      intro,
      ...kept,
      ...(omitted ? [cutNotice(omitted, "destructive changes")] : []),
      "",
    ].join("\n");
    body.push(section);
    budget -= section.length + 1;
  }

  if (list.length > 0) {
    const open = `<details><summary>Details: ${list.length} resource change(s)</summary>\n`;
    const close = "\n</details>\n";
    const blocks = list.map((e) => entryLines(e).join("\n"));
    const { kept, omitted } = fit(blocks, budget - open.length - close.length);
    body.push(
      [open, ...kept, ...(omitted ? [cutNotice(omitted, "resource changes")] : []), close].join("\n"),
    );
  }
  body.push(tailText);
  const text = `${body.join("\n")}\n`;
  // The budget arithmetic above keeps this from happening; never return more than the limit regardless.
  return text.length <= limit
    ? text
    : `${text.slice(0, limit - 120)}\n\n… cut: the full plan is in ${runLink}.\n`;
}

/** What the plan failing (or never running) looks like in the same places. */
export function renderFailure(
  options: Pick<RenderOptions, "stack" | "heading" | "context" | "runUrl"> & { reason: string },
): string {
  const runLink = options.runUrl ? `[the workflow run](${options.runUrl})` : "the workflow run";
  return [
    `### ${options.heading ?? "Plan"}: \`${options.stack}\` — ❌ ${options.reason}`,
    "",
    ...(options.context ?? []),
    ...(options.context?.length ? [""] : []),
    `The engine's output is in ${runLink} (it is not copied here: error messages can quote values).`,
    "",
  ].join("\n");
}
