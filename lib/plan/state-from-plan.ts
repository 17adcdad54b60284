import { randomUUID } from "node:crypto";
import type { PlanJson } from "./plan-json";

/**
 * Builds a Terraform/OpenTofu state file (format version 4) from a plan's planned values: the state a
 * successful apply of that plan would leave, for offline convergence and adoption tests (plan against it
 * with `-refresh=false`). Values the plan only knows after apply are filled:
 * - an attribute whose configuration is one plain reference (`bucket = aws_s3_bucket.b.id`) takes the
 *   referenced value, as an apply would;
 * - any other unknown attribute gets a stand-in of its schema type (`fixture:<address>.<name>` for
 *   strings, 0, false, [] or {}), from the provider schema (`providers schema -json`) when given.
 * Data sources are left out: a plan reads them again.
 */

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

interface PlannedResource {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name: string;
  readonly schema_version?: number;
  readonly values?: Json;
}

/** `providers schema -json` output, loosely: attribute types per resource type. */
export interface ProviderSchemas {
  readonly provider_schemas?: Record<
    string,
    {
      readonly resource_schemas?: Record<
        string,
        {
          block?: {
            attributes?: Record<string, { type?: unknown }>;
            block_types?: Record<string, { nesting_mode?: string }>;
          };
        }
      >;
    }
  >;
}

export interface StateFromPlanOptions {
  readonly schemas?: ProviderSchemas;
  /** @default the plan's terraform_version */
  readonly terraformVersion?: string;
  /** @default a fresh UUID */
  readonly lineage?: string;
}

export interface StateFile {
  readonly version: 4;
  readonly terraform_version: string;
  readonly serial: number;
  readonly lineage: string;
  readonly outputs: Json;
  readonly resources: Json[];
  readonly check_results: null;
}

function modules(module: unknown): Json[] {
  if (!isRecord(module)) return [];
  const children = Array.isArray(module.child_modules) ? module.child_modules : [];
  return [module, ...children.flatMap(modules)];
}

/** Attributes that are identities: an unknown one gets a stand-in value (others stay null, as unset). */
const IDENTITY = /(^|_)(id|arn|name|url|endpoint|identifier)$/;

/** A stand-in of the attribute's type; strings are valid ids (`fixture7`) or ARNs for `*arn` attributes. */
function standIn(type: unknown, attribute: string, resourceType: string, n: number): unknown {
  if (type === "number") return 0;
  if (type === "bool") return false;
  if (Array.isArray(type) && (type[0] === "list" || type[0] === "set")) return [];
  if (Array.isArray(type) && type[0] === "map") return {};
  if (Array.isArray(type) && type[0] === "object") return null;
  if (/(^|_)arn$/.test(attribute))
    return `arn:aws:${resourceType.split("_")[1] ?? "fixture"}:us-west-2:123456789012:fixture${n}`;
  return `fixture${n}`;
}

/** The cty type of a JSON value, as a state file writes it next to a dynamically typed value. */
function ctyType(value: unknown): unknown {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return ["tuple", value.map(ctyType)];
  if (isRecord(value))
    return ["object", Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ctyType(v)]))];
  return "dynamic";
}

/** terraform_data's dynamically typed attributes are stored with their type in a state file. */
function dynamic(value: unknown): unknown {
  return value === null || value === undefined ? null : { value, type: ctyType(value) };
}

/** Configuration expressions by resource address (root module; `foo.bar` without an index). */
function expressionsByAddress(plan: PlanJson): Map<string, { expressions: Json; providerKey?: string }> {
  const out = new Map<string, { expressions: Json; providerKey?: string }>();
  const configuration = isRecord(plan.configuration) ? plan.configuration : {};
  const root = isRecord(configuration.root_module) ? configuration.root_module : {};
  for (const r of Array.isArray(root.resources) ? root.resources : []) {
    if (!isRecord(r) || typeof r.address !== "string") continue;
    out.set(r.address, {
      expressions: isRecord(r.expressions) ? r.expressions : {},
      providerKey: typeof r.provider_config_key === "string" ? r.provider_config_key : undefined,
    });
  }
  return out;
}

/** The single `<type>.<name>.<attribute>` an expression is, when it is exactly one reference. */
function plainReference(expression: unknown): [string, string] | undefined {
  if (!isRecord(expression) || !Array.isArray(expression.references)) return undefined;
  const refs = expression.references.filter((r): r is string => typeof r === "string");
  const attributeRef = refs.find((r) => /^[a-z0-9_]+\.[\w-]+\.[a-z_]+$/.test(r));
  if (!attributeRef || refs.some((r) => r !== attributeRef && !attributeRef.startsWith(`${r}.`)))
    return undefined;
  const at = attributeRef.lastIndexOf(".");
  return [attributeRef.slice(0, at), attributeRef.slice(at + 1)];
}

export function stateFromPlan(plan: PlanJson, options: StateFromPlanOptions = {}): StateFile {
  const planned = isRecord(plan.planned_values) ? plan.planned_values : {};
  const resources = modules(planned.root_module)
    .flatMap((m) => (Array.isArray(m.resources) ? m.resources : []))
    .filter((r): r is PlannedResource => isRecord(r) && r.mode === "managed");
  const unknownByAddress = new Map<string, Json>();
  const sensitiveByAddress = new Map<string, Json>();
  for (const rc of plan.resource_changes ?? []) {
    if (isRecord(rc.change.after_unknown)) unknownByAddress.set(rc.address, rc.change.after_unknown);
    if (isRecord(rc.change.after_sensitive)) sensitiveByAddress.set(rc.address, rc.change.after_sensitive);
  }
  const config = expressionsByAddress(plan);
  const byAddress = new Map(resources.map((r) => [r.address, r]));

  const values = new Map<string, Json>();
  let counter = 0;
  // Attributes some configuration refers to: they need a value even when not identity-like.
  const referenced = new Set<string>();
  for (const { expressions } of config.values())
    JSON.stringify(expressions, (key, value: unknown) => {
      if (key === "references" && Array.isArray(value))
        for (const r of value) if (typeof r === "string") referenced.add(r.replace(/^data\./, ""));
      return value;
    });
  const resolving = new Set<string>();
  const attributeTypes = (r: PlannedResource) =>
    options.schemas?.provider_schemas?.[r.provider_name]?.resource_schemas?.[r.type]?.block?.attributes ?? {};

  /** The attributes of one resource after apply; references are resolved on demand (memoized). */
  const valuesOf = (address: string): Json | undefined => {
    const known = values.get(address);
    if (known) return known;
    const r = byAddress.get(address);
    if (!r || resolving.has(address)) return undefined;
    resolving.add(address);
    const result: Json = { ...(r.values ?? {}) };
    const unknown = unknownByAddress.get(address) ?? {};
    const expressions = config.get(address.replace(/\[[^\]]*\]$/, ""))?.expressions ?? {};
    const block = options.schemas?.provider_schemas?.[r.provider_name]?.resource_schemas?.[r.type]?.block;
    const types = attributeTypes(r);
    const base = address.replace(/\[[^\]]*\]$/, "");
    for (const [attribute, flag] of Object.entries(unknown)) {
      if (flag !== true) continue;
      const nesting = block?.block_types?.[attribute]?.nesting_mode;
      if (nesting) {
        result[attribute] = nesting === "list" || nesting === "set" ? [] : null;
        continue;
      }
      const reference = plainReference(expressions[attribute]);
      const target = reference ? valuesOf(reference[0])?.[reference[1]] : undefined;
      if (target !== undefined && target !== null) result[attribute] = target;
      else if (IDENTITY.test(attribute) || referenced.has(`${base}.${attribute}`))
        result[attribute] = standIn(types[attribute]?.type, attribute, r.type, ++counter);
      else {
        // After an apply, computed collections read back empty, scalars unset.
        const empty = standIn(types[attribute]?.type, attribute, r.type, 0);
        result[attribute] = typeof empty === "string" || typeof empty !== "object" ? null : empty;
      }
    }
    if (r.type === "terraform_data") {
      if (result.output === null || result.output === undefined) result.output = result.input;
      for (const attribute of ["input", "output", "triggers_replace"])
        result[attribute] = dynamic(result[attribute]);
    }
    resolving.delete(address);
    values.set(address, result);
    return result;
  };

  const grouped = new Map<string, Json>();
  for (const r of resources) {
    const base = r.address.replace(/\[[^\]]*\]$/, "");
    const providerKey = config.get(base)?.providerKey;
    const alias = providerKey?.includes(".") ? `.${providerKey.split(".").slice(1).join(".")}` : "";
    let entry = grouped.get(base);
    if (!entry) {
      entry = {
        mode: "managed",
        type: r.type,
        name: r.name,
        provider: `provider["${r.provider_name}"]${alias}`,
        instances: [] as Json[],
      };
      grouped.set(base, entry);
    }
    const attributes = valuesOf(r.address) ?? {};
    // Sensitive top-level attributes, as the state records them (paths of get_attr steps), null ones
    // included: an apply stores every marked path of the value, and Terraform plans an update when the
    // planned value's marks differ from the state's (`marksEqual` in its plan step), even if no value does.
    const sensitive = Object.entries(sensitiveByAddress.get(r.address) ?? {})
      .filter(([, flag]) => flag === true)
      .map(([name]) => [{ type: "get_attr", value: name }]);
    (entry.instances as Json[]).push({
      ...(r.index !== undefined ? { index_key: r.index } : {}),
      schema_version: r.schema_version ?? 0,
      attributes,
      sensitive_attributes: sensitive,
    });
  }
  return {
    version: 4,
    terraform_version: options.terraformVersion ?? plan.terraform_version ?? "1.10.0",
    serial: 1,
    lineage: options.lineage ?? randomUUID(),
    outputs: {},
    resources: [...grouped.values()],
    check_results: null,
  };
}
