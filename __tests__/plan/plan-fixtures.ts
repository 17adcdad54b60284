import type { PlanAction, PlanJson, PlanResourceChange } from "../../lib/plan/plan-json";
import { AWS_PROVIDER_VERSION } from "../../stacks/requirements";
import { environments } from "../helpers/environments";

/** Hand-made plans for the plan:check tests (check.test.ts, the unit cases; check.cli.test.ts, the command). */

export function change(
  address: string,
  actions: PlanAction[],
  extra: Partial<PlanResourceChange> & { replace_paths?: (string | number)[][] } = {},
): PlanResourceChange {
  const [type, name] = address.split(".");
  const { replace_paths, ...rest } = extra;
  return { address, mode: "managed", type, name, change: { actions, replace_paths }, ...rest };
}

/** The first configured environment: the command's plans below are plans of its stack. */
export const [first] = Object.values(environments());

/** An OpenTofu-shaped plan of `first`'s stack: no applyable, complete or deferred_changes; opentofu names. */
export function plan(...changes: PlanResourceChange[]): PlanJson {
  return {
    format_version: "1.2",
    terraform_version: "1.10.0",
    resource_changes: changes.map((c) => ({ ...c, provider_name: "registry.opentofu.org/hashicorp/aws" })),
    configuration: {
      provider_config: {
        aws: {
          full_name: "registry.opentofu.org/hashicorp/aws",
          version_constraint: AWS_PROVIDER_VERSION,
          expressions: { default_tags: [{ tags: { constant_value: { Environment: first.environment } } }] },
        },
      },
    },
  };
}
