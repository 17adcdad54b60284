/**
 * The parts of `terraform show -json <plan>` / `tofu show -json <plan>` the preview reads: nothing from
 * `applyable`, `complete` or `deferred_changes` (OpenTofu omits them), no provider host.
 */
export interface PlanJson {
  readonly format_version?: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly configuration?: unknown;
  readonly [key: string]: unknown;
}

export interface ResourceChange {
  readonly address: string;
  /** OpenTofu 1.11 also lists ephemeral resources (action `open`). */
  readonly mode: "managed" | "data" | "ephemeral";
  readonly type: string;
  readonly name: string;
  readonly provider_name?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: unknown;
    readonly after?: unknown;
    readonly after_unknown?: unknown;
  };
}

/**
 * `forget` (a `removed` block with destroy = false: out of state, kept in AWS) and `open` (an ephemeral
 * resource) come from OpenTofu's plan JSON (internal/command/jsonplan/plan.go, v1.11.14).
 */
export const ACTIONS = ["create", "update", "replace", "delete", "forget", "read", "open", "no-op"] as const;
export type Action = (typeof ACTIONS)[number];

export interface PlanSummary {
  /** Managed resources in the plan (any action). */
  readonly resources: number;
  /** Data sources read during the plan or deferred to apply. */
  readonly dataSources: number;
  /** Ephemeral resources opened (OpenTofu). */
  readonly ephemeral: number;
  /** Addresses of managed resources the plan forgets (removed from state, left in AWS). */
  readonly forgotten: readonly { address: string; type: string }[];
  readonly byAction: Readonly<Record<Action, number>>;
  /** Counts per resource type (data sources as `data.<type>`, ephemeral as `ephemeral.<type>`) and action. */
  readonly byType: Readonly<Record<string, Partial<Record<Action, number>>>>;
}

/** One resource change's action, with delete+create (either order) as "replace". */
export function actionOf(actions: readonly string[]): Action {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  const [first] = actions;
  return (ACTIONS as readonly string[]).includes(first) ? (first as Action) : "no-op";
}

export function summarizePlan(plan: PlanJson): PlanSummary {
  const byAction = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>;
  const byType: Record<string, Partial<Record<Action, number>>> = {};
  let resources = 0;
  let dataSources = 0;
  let ephemeral = 0;
  const forgotten: { address: string; type: string }[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const action = actionOf(rc.change.actions);
    const key = rc.mode === "managed" ? rc.type : `${rc.mode}.${rc.type}`;
    if (rc.mode === "data") dataSources++;
    else if (rc.mode === "ephemeral") ephemeral++;
    else resources++;
    if (rc.mode === "managed" && action === "forget") forgotten.push({ address: rc.address, type: rc.type });
    byAction[action]++;
    byType[key] ??= {};
    byType[key][action] = (byType[key][action] ?? 0) + 1;
  }
  const sorted = Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b)));
  return { resources, dataSources, ephemeral, forgotten, byAction, byType: sorted };
}

/** `12 to create, 0 to update, ...` the way Terraform words its plan line. */
export function formatCounts(summary: PlanSummary): string {
  const { byAction } = summary;
  const parts = [
    `${byAction.create} to create`,
    `${byAction.update} to update`,
    `${byAction.replace} to replace`,
    `${byAction.delete} to delete`,
  ];
  if (byAction.forget > 0) parts.push(`${byAction.forget} to forget`);
  if (byAction.read > 0) parts.push(`${byAction.read} to read`);
  if (byAction.open > 0) parts.push(`${byAction.open} ephemeral to open`);
  if (byAction["no-op"] > 0) parts.push(`${byAction["no-op"]} unchanged`);
  return `${summary.resources} resources: ${parts.join(", ")}`;
}

/** A table of resource types and their actions. */
export function formatSummary(summary: PlanSummary, indent = "  "): string {
  const rows = Object.entries(summary.byType);
  const width = Math.max(0, ...rows.map(([type]) => type.length));
  return rows
    .map(([type, counts]) => {
      const cells = ACTIONS.filter((a) => counts[a]).map((a) => `${a} ${counts[a]}`);
      return `${indent}${type.padEnd(width)}  ${cells.join(", ")}`;
    })
    .join("\n");
}
