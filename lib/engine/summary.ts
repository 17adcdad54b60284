/** The parts of `terraform show -json <plan>` the preview reads. */
export interface PlanJson {
  readonly format_version?: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly configuration?: unknown;
  readonly [key: string]: unknown;
}

export interface ResourceChange {
  readonly address: string;
  readonly mode: "managed" | "data";
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

export const ACTIONS = ["create", "update", "replace", "delete", "read", "no-op"] as const;
export type Action = (typeof ACTIONS)[number];

export interface PlanSummary {
  /** Managed resources in the plan (any action). */
  readonly resources: number;
  /** Data sources read during the plan or deferred to apply. */
  readonly dataSources: number;
  readonly byAction: Readonly<Record<Action, number>>;
  /** Counts per resource type (data sources as `data.<type>`) and action. */
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
  for (const rc of plan.resource_changes ?? []) {
    const action = actionOf(rc.change.actions);
    const key = rc.mode === "data" ? `data.${rc.type}` : rc.type;
    if (rc.mode === "data") dataSources++;
    else resources++;
    byAction[action]++;
    byType[key] ??= {};
    byType[key][action] = (byType[key][action] ?? 0) + 1;
  }
  const sorted = Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b)));
  return { resources, dataSources, byAction, byType: sorted };
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
  if (byAction.read > 0) parts.push(`${byAction.read} to read`);
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
