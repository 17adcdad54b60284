/**
 * The parts of `terraform show -json` / `tofu show -json` plan output that our tools read. Only fields
 * both engines write are relied on: OpenTofu omits `applyable`, `complete` and `deferred_changes`, writes
 * `registry.opentofu.org/...` provider names and can emit the actions `forget` and `open`.
 */
export type PlanAction = "no-op" | "create" | "read" | "update" | "delete" | "forget" | "open";

export interface PlanResourceChange {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly provider_name?: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly PlanAction[];
    readonly before?: unknown;
    readonly after?: unknown;
    readonly after_unknown?: unknown;
    readonly before_sensitive?: unknown;
    readonly after_sensitive?: unknown;
    readonly replace_paths?: readonly (readonly (string | number)[])[];
    readonly importing?: unknown;
  };
  /** Set when the change came from a `moved` block. */
  readonly previous_address?: string;
}

export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly PlanResourceChange[];
  readonly resource_drift?: readonly PlanResourceChange[];
  readonly configuration?: unknown;
  readonly planned_values?: unknown;
  readonly prior_state?: unknown;
}
