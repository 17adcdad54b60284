import { evaluatePolicies } from "../pack";
import { RULES } from "../rules";
import { defaultTagsOf } from "../rules/required-tags";
import type { PolicyContext, PolicyRule, ResourceView, Violation } from "../types";

/**
 * The plan-time side of the policy pack: the same rules, judged on `terraform show -json` output, where
 * tags_all holds the merged default tags and names are known values.
 */

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Marks a value the plan only knows after apply. */
export const UNKNOWN_VALUE = "(known after apply)";

/** Plan JSON `expressions` → values: constants as-is, nested blocks recursively, references omitted. */
export function expressionValues(expressions: unknown): Json {
  if (!isRecord(expressions)) return {};
  const values: Json = {};
  for (const [key, expression] of Object.entries(expressions)) {
    if (Array.isArray(expression)) values[key] = expression.map((block) => expressionValues(block));
    else if (isRecord(expression) && "constant_value" in expression) values[key] = expression.constant_value;
    else if (isRecord(expression) && !("references" in expression))
      values[key] = expressionValues(expression);
  }
  return values;
}

function stripIndex(address: string): string {
  return address.replace(/\[[^\]]*\]$/, "");
}

/** `lifecycle.prevent_destroy` by resource address, from the configuration that was planned (cdk.tf.json). */
export function preventDestroyByAddress(configuration: unknown): Map<string, boolean> {
  const result = new Map<string, boolean>();
  const resources = isRecord(configuration) && isRecord(configuration.resource) ? configuration.resource : {};
  for (const [type, byName] of Object.entries(resources)) {
    if (!isRecord(byName)) continue;
    for (const [name, block] of Object.entries(byName)) {
      const lifecycle = isRecord(block) && isRecord(block.lifecycle) ? block.lifecycle : {};
      result.set(`${type}.${name}`, lifecycle.prevent_destroy === true);
    }
  }
  return result;
}

export interface PlanCheckOptions {
  readonly context: PolicyContext;
  /**
   * The configuration that was planned (the working copy's cdk.tf.json), for what a plan does not record:
   * lifecycle.prevent_destroy. Without it the protection rule checks only planned attributes.
   */
  readonly configuration?: unknown;
  readonly rules?: readonly PolicyRule[];
}

/**
 * The views of every provider configuration and every resource the plan creates, updates or keeps. Reads
 * only what Terraform and OpenTofu both write: provider configurations by key (never by registry host),
 * resource_changes and configuration; not `applyable`, `complete` or `deferred_changes`.
 */
export function planViews(plan: unknown, configuration?: unknown): ResourceView[] {
  const root = isRecord(plan) ? plan : {};
  const config = isRecord(root.configuration) ? root.configuration : {};
  const providerConfigs = isRecord(config.provider_config) ? config.provider_config : {};
  const rootModule = isRecord(config.root_module) ? config.root_module : {};
  const configResources = new Map<string, Json>();
  for (const r of Array.isArray(rootModule.resources) ? rootModule.resources : []) {
    if (isRecord(r) && typeof r.address === "string") configResources.set(r.address, r);
  }
  const preventDestroy = configuration === undefined ? undefined : preventDestroyByAddress(configuration);

  const views: ResourceView[] = [];
  const providerTags = new Map<string, Json | undefined>();
  for (const [key, provider] of Object.entries(providerConfigs)) {
    if (!isRecord(provider)) continue;
    const values = expressionValues(provider.expressions);
    providerTags.set(key, defaultTagsOf(values));
    views.push({
      stage: "plan",
      kind: "provider",
      type: typeof provider.name === "string" ? provider.name : key.split(".")[0],
      path: `provider.${key}`,
      values,
      unknown: new Set(),
    });
  }

  for (const rc of Array.isArray(root.resource_changes) ? root.resource_changes : []) {
    if (
      !isRecord(rc) ||
      !isRecord(rc.change) ||
      typeof rc.address !== "string" ||
      typeof rc.type !== "string"
    )
      continue;
    const actions = Array.isArray(rc.change.actions) ? rc.change.actions : [];
    // Nothing is left to judge in what the plan deletes, forgets (OpenTofu: out of state, kept in AWS;
    // the report and plan:check name it) or only opens (an OpenTofu ephemeral resource, never stored).
    if (actions.length === 1 && ["delete", "forget", "open"].includes(actions[0] as string)) continue;
    if (rc.mode === "ephemeral") continue;
    const after: Json = isRecord(rc.change.after) ? { ...rc.change.after } : {};
    const afterUnknown = isRecord(rc.change.after_unknown) ? rc.change.after_unknown : {};
    const configResource = configResources.get(stripIndex(rc.address));
    const expressions = expressionValues(configResource?.expressions);
    const unknown = new Set<string>();
    for (const [attribute, flag] of Object.entries(afterUnknown)) {
      if (flag === true) {
        unknown.add(attribute);
        // The configuration's expression text (e.g. `${jsonencode(...)}`) still tells what was written.
        if (attribute in expressions) after[attribute] = expressions[attribute];
      } else if (isRecord(flag) && isRecord(after[attribute])) {
        const partial = { ...(after[attribute] as Json) };
        for (const [k, v] of Object.entries(flag)) if (v === true) partial[k] = UNKNOWN_VALUE;
        after[attribute] = partial;
      }
    }
    const providerKey =
      typeof configResource?.provider_config_key === "string" ? configResource.provider_config_key : "aws";
    views.push({
      stage: "plan",
      kind: rc.mode === "data" ? "data" : "resource",
      type: rc.type,
      path: rc.address,
      address: rc.address,
      values: after,
      unknown,
      preventDestroy: preventDestroy?.get(stripIndex(rc.address)),
      providerDefaultTags: providerTags.get(providerKey),
    });
  }
  return views;
}

/** Judges a plan (`terraform show -json` output) with the policy pack; returns every violation. */
export function checkPlan(plan: unknown, options: PlanCheckOptions): Violation[] {
  return evaluatePolicies(planViews(plan, options.configuration), options.context, options.rules ?? RULES);
}
