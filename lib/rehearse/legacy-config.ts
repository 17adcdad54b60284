import { UNCREATABLE_TYPES } from "../emulator/quirks";
import type { LegacyInstance } from "./legacy-state";

/**
 * A Terraform JSON configuration that creates, in an empty (emulated) account, the objects a legacy state
 * describes: one resource block per managed instance, its configurable arguments taken from the instance's
 * attributes. Values AWS generated (ids, ARNs: the computed-only attributes) are different in the new
 * account, so where one instance's value appears in another's arguments it becomes a reference; the
 * engine then creates them in dependency order and fills in the new ids. Names are the same in both
 * accounts, so a value equal to another instance's name-like id stays literal and only orders the two.
 */

/** The parts of `providers schema -json` the generator reads. */
export interface SchemaAttribute {
  readonly type?: unknown;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly deprecated?: boolean;
  readonly nested_type?: {
    readonly attributes: Record<string, SchemaAttribute>;
    readonly nesting_mode: string;
  };
}
export interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, { readonly nesting_mode: string; readonly block: SchemaBlock }>;
  readonly deprecated?: boolean;
}
export interface ResourceSchema {
  readonly version: number;
  readonly block: SchemaBlock;
}

/**
 * Never configured at the top level: `id` (an SDKv2 artefact, optional in the schema) and `tags_all` (the
 * provider's merge); nowhere: `timeouts`. A nested `id` is an argument (a metric query's).
 */
const TOP_LEVEL_DROPPED = new Set(["id", "tags_all"]);
const ALWAYS_DROPPED = new Set(["timeouts"]);

/**
 * Deployment packages are not in the state (only their hashes): functions and layers get a stand-in
 * archive, objects a stand-in body. The rest of their settings are the state's.
 */
const PACKAGE_ARGUMENTS: Readonly<
  Record<string, { drop: readonly string[]; set: (file: string) => Record<string, unknown> }>
> = {
  aws_lambda_function: {
    drop: ["filename", "s3_bucket", "s3_key", "s3_object_version", "source_code_hash", "image_uri"],
    set: (file) => ({ filename: file }),
  },
  aws_lambda_layer_version: {
    drop: ["filename", "s3_bucket", "s3_key", "s3_object_version", "source_code_hash"],
    set: (file) => ({ filename: file }),
  },
  aws_s3_object: {
    drop: ["source", "source_hash", "content", "content_base64", "etag"],
    set: () => ({ content: "legacy object stand-in (lib/rehearse)" }),
  },
};

/** Values the pinned provider refuses to send (its validation is older than the state's). */
const UNACCEPTED_VALUES: readonly { type: RegExp; from: string; to: string; reason: string }[] = [
  {
    type: /^aws_lambda_(function|layer_version)$/,
    from: "nodejs24.x",
    to: "nodejs22.x",
    reason: "hashicorp/aws 5.100.0 does not accept nodejs24.x (README, Adoption: Runtime)",
  },
];

const ALLOW_ALL = (statement: Record<string, unknown>) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "LegacyStandIn", Effect: "Allow", ...statement }],
  });

/**
 * Required arguments a state may hold as null (the legacy fixtures leave values computed from
 * expressions null, see __tests__/fixtures/legacy-state/README.md): a stand-in each, reported. A real
 * state has them all.
 */
const REQUIRED_STAND_INS: Readonly<Record<string, (attributes: Record<string, unknown>) => unknown>> = {
  "aws_iam_policy.policy": () => ALLOW_ALL({ Action: "sts:GetCallerIdentity", Resource: "*" }),
  "aws_iam_role_policy.policy": () => ALLOW_ALL({ Action: "sts:GetCallerIdentity", Resource: "*" }),
  "aws_iam_role.assume_role_policy": () =>
    ALLOW_ALL({ Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }),
  "aws_s3_bucket_policy.policy": (a) =>
    ALLOW_ALL({
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "s3:GetObject",
      Resource: `arn:aws:s3:::${String(a.bucket)}/*`,
    }),
  "aws_sqs_queue_policy.policy": () =>
    ALLOW_ALL({ Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "*" }),
  "aws_cloudfront_distribution.origin.domain_name": () => "legacy-origin-stand-in.example.com",
};

/**
 * Orderings the API requires but no value shows (the objects are related by names and a method, not by
 * an id): each type is created after the instances of `after` whose `on` arguments are equal. A real state
 * also records them in its `dependencies` lists, which are followed too; the fixtures have none. Source:
 * API Gateway's PutIntegration needs the method, CreateDeployment a method with its integration, and
 * UpdateStage (method settings) the stage.
 */
const API_ORDER: readonly { type: string; after: string; on: readonly string[] }[] = [
  {
    type: "aws_api_gateway_integration",
    after: "aws_api_gateway_method",
    on: ["rest_api_id", "resource_id", "http_method"],
  },
  {
    type: "aws_api_gateway_method_response",
    after: "aws_api_gateway_method",
    on: ["rest_api_id", "resource_id", "http_method"],
  },
  {
    type: "aws_api_gateway_integration_response",
    after: "aws_api_gateway_integration",
    on: ["rest_api_id", "resource_id", "http_method"],
  },
  { type: "aws_api_gateway_deployment", after: "aws_api_gateway_method", on: ["rest_api_id"] },
  { type: "aws_api_gateway_deployment", after: "aws_api_gateway_integration", on: ["rest_api_id"] },
  {
    type: "aws_api_gateway_method_settings",
    after: "aws_api_gateway_stage",
    on: ["rest_api_id", "stage_name"],
  },
];

/**
 * Blocks a state holds with a null inside, which AWS never reads back that way (a function's environment
 * block without variables: the fixtures leave maps built with `merge` null). The block gets a stand-in
 * value so the object is created with one, as the real one has; reported.
 */
const NULL_IN_BLOCK_STAND_INS: readonly { type: string; block: string; attribute: string; value: unknown }[] =
  [
    {
      type: "aws_lambda_function",
      block: "environment",
      attribute: "variables",
      value: { LEGACY_STAND_IN: "the state holds no variables" },
    },
  ];

export interface LegacyConfiguration {
  /** Terraform JSON: required_providers, one `provider.aws` entry per alias, the resources. */
  readonly config: Record<string, unknown>;
  /** Legacy address → `type.local_name` in `config`. */
  readonly localAddress: ReadonlyMap<string, string>;
  /** Instances not created, each with why. */
  readonly setAside: readonly { address: string; reason: string; keepInState: boolean }[];
  /** One line per value the generator had to change (stand-ins, refused values, dropped references). */
  readonly substitutions: readonly string[];
  /** Instances whose schema version is newer than the pinned provider's (runbook step 2). */
  readonly newerSchemas: readonly string[];
}

export interface ProviderSetting {
  readonly alias?: string;
  readonly region: string;
}

export interface GenerateOptions {
  /** Resource schemas of hashicorp/aws (the pinned version), by type. */
  readonly schemas: Readonly<Record<string, ResourceSchema>>;
  /** The aws provider configurations (region per alias), e.g. the adopting stack's. */
  readonly providers: readonly ProviderSetting[];
  /** A stand-in deployment package (a zip file path) for functions and layers. */
  readonly packageFile: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v);
const isEmpty = (v: unknown) =>
  v === null ||
  v === undefined ||
  v === "" ||
  (Array.isArray(v) && v.length === 0) ||
  (isObject(v) && Object.keys(v).length === 0);

/** `type.name` with a valid identifier for an indexed instance: `name__0`, `name__key`. */
export function localName(instance: LegacyInstance): string {
  if (instance.indexKey === undefined) return instance.name;
  return `${instance.name}__${String(instance.indexKey).replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

/** Configurable arguments of a block from a state value; required ones missing are reported by path. */
function configurable(
  block: SchemaBlock,
  value: Record<string, unknown>,
  path: string,
  missing: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    if (ALWAYS_DROPPED.has(name) || (path === "" && TOP_LEVEL_DROPPED.has(name))) continue;
    if (attribute.deprecated || !(attribute.required || attribute.optional)) continue;
    let v = value[name];
    if (attribute.nested_type && v !== null && v !== undefined)
      v = nestedValue(attribute.nested_type, v, `${path}${name}.`, missing);
    // A state holds what AWS reads back, defaults included: an optional zero (and false, where the
    // attribute is also computed) is left to the default again. The provider refuses some of them (a
    // queue's event source mapping reads back a parallelization factor of 0, valid from 1).
    const awsDefault = attribute.optional && (v === 0 || (attribute.computed && v === false));
    if (attribute.required ? v === null || v === undefined : isEmpty(v) || awsDefault) {
      if (attribute.required) missing.push(`${path}${name}`);
      continue;
    }
    out[name] = v;
  }
  for (const [name, blockType] of Object.entries(block.block_types ?? {})) {
    if (ALWAYS_DROPPED.has(name) || blockType.block.deprecated) continue;
    const v = value[name];
    const items = (Array.isArray(v) ? v : isObject(v) ? [v] : []).filter(isObject);
    if (items.length === 0) continue;
    const converted = items.map((item) => configurable(blockType.block, item, `${path}${name}.`, missing));
    out[name] =
      blockType.nesting_mode === "single" || blockType.nesting_mode === "group" ? converted[0] : converted;
  }
  return out;
}

function nestedValue(
  nested: NonNullable<SchemaAttribute["nested_type"]>,
  value: unknown,
  path: string,
  missing: string[],
): unknown {
  const block: SchemaBlock = { attributes: nested.attributes };
  if (nested.nesting_mode === "single")
    return isObject(value) ? configurable(block, value, path, missing) : value;
  if (Array.isArray(value))
    return value.map((v) => (isObject(v) ? configurable(block, v, path, missing) : v));
  if (isObject(value) && nested.nesting_mode === "map")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, isObject(v) ? configurable(block, v, path, missing) : v]),
    );
  return value;
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node: unknown = target;
  for (let i = 0; i < path.length - 1; i++) {
    const next: unknown = Array.isArray(node)
      ? node.map((n) => n)
      : (node as Record<string, unknown>)[path[i]];
    if (Array.isArray(next)) {
      for (const item of next) if (isObject(item)) setAt(item, path.slice(i + 1), value);
      return;
    }
    if (!isObject(next)) return;
    node = next;
  }
  const last = path[path.length - 1];
  if (isObject(node) && (node[last] === undefined || node[last] === null)) node[last] = value;
}

/** A string as a Terraform template literal: `${` and `%{` escaped. */
const escapeTemplate = (s: string) => s.replace(/([$%])\{/g, (_, sigil: string) => `${sigil}${sigil}{`);

interface Generated {
  readonly value: string;
  /** `type.local.attribute` */
  readonly reference: string;
  readonly owner: string;
}

/**
 * Values AWS generated for an instance: its id and computed-only string attributes, except those equal to
 * one of its own arguments (an id that is the name) and those shared by several instances (an account
 * id, a hosted zone), which name nothing in particular.
 */
function generatedValues(
  instances: readonly LegacyInstance[],
  schemas: GenerateOptions["schemas"],
  localAddress: ReadonlyMap<string, string>,
): Generated[] {
  // `name=value` of every argument: a computed attribute echoing another instance's argument of the same
  // name (a usage plan key's `name` is its API key's) is a copy, not generated.
  const echoes = new Set<string>();
  for (const instance of instances) {
    const attributes = schemas[instance.type]?.block.attributes ?? {};
    for (const [name, value] of Object.entries(instance.attributes))
      if (
        name !== "id" &&
        (attributes[name]?.required || attributes[name]?.optional) &&
        typeof value === "string"
      )
        echoes.add(`${name}=${value}`);
  }
  const all: Generated[] = [];
  for (const instance of instances) {
    const schema = schemas[instance.type];
    if (!schema) continue;
    const attributes = schema.block.attributes ?? {};
    const own = new Set(
      Object.entries(instance.attributes)
        .filter(([name]) => name !== "id" && (attributes[name]?.required || attributes[name]?.optional))
        .map(([, v]) => v)
        .filter((v) => typeof v === "string"),
    );
    for (const [name, value] of Object.entries(instance.attributes)) {
      const computedOnly =
        attributes[name]?.computed && !attributes[name]?.optional && !attributes[name]?.required;
      if (!(name === "id" || computedOnly) || typeof value !== "string") continue;
      // An instance holding the value in an argument too copied it from its owner (a usage plan key's id
      // is the API key's).
      if (
        value.length < 6 ||
        /^\d+$/.test(value) ||
        REGION.test(value) ||
        own.has(value) ||
        echoes.has(`${name}=${value}`)
      )
        continue;
      all.push({
        value,
        reference: `${localAddress.get(instance.address)}.${name}`,
        owner: instance.address,
      });
    }
  }
  const owners = new Map<string, Set<string>>();
  for (const g of all) owners.set(g.value, (owners.get(g.value) ?? new Set()).add(g.owner));
  const unique = all.filter((g) => owners.get(g.value)!.size === 1);
  // One reference per value: `id` first, then the attribute names in order.
  return [...new Map(unique.map((g) => [g.value, g])).values()];
}

/** A region name is everywhere in ARNs; no instance generates it. */
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Builds the configuration; throws (one line) when references between instances form a cycle. */
export function legacyConfiguration(
  instances: readonly LegacyInstance[],
  options: GenerateOptions,
): LegacyConfiguration {
  const { schemas } = options;
  const setAside: { address: string; reason: string; keepInState: boolean }[] = [];
  const substitutions: string[] = [];
  const newerSchemas: string[] = [];
  const created: LegacyInstance[] = [];
  for (const instance of instances) {
    const gap = UNCREATABLE_TYPES.find((g) => g.type === instance.type);
    if (!instance.provider.endsWith("hashicorp/aws") || !schemas[instance.type])
      setAside.push({
        address: instance.address,
        reason: `provider ${instance.provider} is not in the plugin mirror: kept in the state as it is`,
        keepInState: true,
      });
    else if (gap) setAside.push({ address: instance.address, reason: gap.reason, keepInState: false });
    else created.push(instance);
    const schema = schemas[instance.type];
    if (schema && instance.schemaVersion > schema.version)
      newerSchemas.push(
        `${instance.address}: schema version ${instance.schemaVersion}, the pinned provider knows ${schema.version}`,
      );
  }
  const localAddress = new Map(created.map((i) => [i.address, `${i.type}.${localName(i)}`]));
  const generated = generatedValues(created, schemas, localAddress);
  const setAsideGenerated = generatedValues(
    instances.filter((i) => setAside.some((s) => s.address === i.address) && schemas[i.type]),
    schemas,
    new Map(instances.map((i) => [i.address, `${i.type}.${localName(i)}`])),
  );
  const byValue = new Map(generated.map((g) => [g.value, g]));
  const pattern = generated.length
    ? new RegExp(
        `(?<![A-Za-z0-9])(${[...generated]
          .sort((a, b) => b.value.length - a.value.length)
          .map((g) => escapeRegExp(g.value))
          .join("|")})(?![A-Za-z0-9])`,
        "g",
      )
    : undefined;
  const setAsideValues = setAsideGenerated.map((g) => g.value);
  /** Name-like ids (not generated): a value equal to one orders the two instances. */
  const nameIds = new Map<string, string[]>();
  for (const instance of created) {
    for (const key of ["id", "arn"]) {
      const v = instance.attributes[key];
      if (typeof v === "string" && v.length >= 3 && !byValue.has(v))
        nameIds.set(v, [...(nameIds.get(v) ?? []), instance.address]);
    }
  }

  const edges = new Map<string, Set<string>>(created.map((i) => [i.address, new Set<string>()]));
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length) {
      const node = stack.pop()!;
      if (node === to) return true;
      if (seen.has(node)) continue;
      seen.add(node);
      stack.push(...(edges.get(node) ?? []));
    }
    return false;
  };

  const resources: Record<string, Record<string, Record<string, unknown>>> = {};
  const ordering = new Map<string, Set<string>>();
  for (const instance of created) {
    const schema = schemas[instance.type];
    const missing: string[] = [];
    let attributes = { ...instance.attributes };
    const pkg = PACKAGE_ARGUMENTS[instance.type];
    if (pkg) {
      for (const name of pkg.drop) delete attributes[name];
      attributes = { ...attributes, ...pkg.set(options.packageFile) };
    }
    for (const rule of NULL_IN_BLOCK_STAND_INS.filter((r) => r.type === instance.type)) {
      const block = attributes[rule.block];
      if (!Array.isArray(block) || !isObject(block[0])) continue;
      if (block[0][rule.attribute] !== null && block[0][rule.attribute] !== undefined) continue;
      attributes = {
        ...attributes,
        [rule.block]: [{ ...block[0], [rule.attribute]: rule.value }, ...block.slice(1)],
      };
      substitutions.push(
        `${instance.address}: ${rule.block}.0.${rule.attribute} is null in the state; a stand-in was used`,
      );
    }
    const values = configurable(schema.block, attributes, "", missing);
    for (const path of missing) {
      const standIn = REQUIRED_STAND_INS[`${instance.type}.${path}`];
      if (!standIn)
        throw new Error(
          `${instance.address}: required argument ${path} is null in the state and has no stand-in`,
        );
      setAt(values, path.split("."), standIn(instance.attributes));
      substitutions.push(`${instance.address}: ${path} is null in the state; a stand-in was used`);
    }
    if (pkg) substitutions.push(`${instance.address}: deployment package replaced by a stand-in`);
    const self = instance.address;
    const depends = new Set<string>();
    const orderAfter = new Set<string>();
    const rewrite = (v: unknown, path: string): unknown => {
      if (typeof v === "string") {
        for (const rule of UNACCEPTED_VALUES)
          if (rule.type.test(instance.type) && v === rule.from) {
            substitutions.push(`${self}: ${path} ${rule.from} -> ${rule.to} (${rule.reason})`);
            v = rule.to;
          }
        const s = v as string;
        if (setAsideValues.some((value) => s.includes(value))) return undefined;
        const names = nameIds.get(s)?.filter((a) => a !== self);
        if (names) names.forEach((a) => orderAfter.add(a));
        if (!pattern) return escapeTemplate(s);
        let out = "";
        let last = 0;
        for (const match of s.matchAll(pattern)) {
          const g = byValue.get(match[1])!;
          if (g.owner === self) continue;
          out += escapeTemplate(s.slice(last, match.index)) + `\${${g.reference}}`;
          last = match.index! + match[0].length;
          depends.add(g.owner);
        }
        return out + escapeTemplate(s.slice(last));
      }
      if (Array.isArray(v))
        return v.map((item, i) => rewrite(item, `${path}.${i}`)).filter((x) => x !== undefined);
      if (isObject(v)) {
        const out: Record<string, unknown> = {};
        for (const [k, child] of Object.entries(v)) {
          const r = rewrite(child, path ? `${path}.${k}` : k);
          if (r === undefined) {
            substitutions.push(
              `${self}: ${path ? `${path}.${k}` : k} dropped (it names an object not created here)`,
            );
            continue;
          }
          out[k] = r;
        }
        return out;
      }
      return v;
    };
    const rewritten = rewrite(values, "") as Record<string, unknown>;
    for (const rule of API_ORDER.filter((r) => r.type === instance.type))
      for (const other of created)
        if (other.type === rule.after && rule.on.every((k) => other.attributes[k] === instance.attributes[k]))
          orderAfter.add(other.address);
    for (const dependency of instance.dependencies ?? [])
      for (const other of created)
        if (`${other.type}.${other.name}` === dependency && other.address !== self)
          orderAfter.add(other.address);
    for (const target of depends) edges.get(self)!.add(target);
    ordering.set(self, orderAfter);
    const local = localAddress.get(self)!;
    const [type, name] = local.split(".");
    (resources[type] ??= {})[name] = {
      ...rewritten,
      ...(instance.alias ? { provider: `aws.${instance.alias}` } : {}),
    };
  }
  for (const [from, targets] of edges)
    for (const to of targets)
      if (reaches(to, from)) throw new Error(`the legacy state's references form a cycle: ${from} and ${to}`);
  // Ordering only (literal values): added where it makes no cycle.
  for (const [from, targets] of ordering) {
    for (const to of targets) {
      if (edges.get(from)!.has(to) || reaches(to, from)) continue;
      edges.get(from)!.add(to);
      const [type, name] = localAddress.get(from)!.split(".");
      const block = resources[type][name];
      block.depends_on = [...((block.depends_on as string[] | undefined) ?? []), localAddress.get(to)!];
    }
  }

  const aliases = [...new Set(created.map((i) => i.alias))];
  const provider = aliases.map((alias) => {
    const setting = options.providers.find((p) => p.alias === alias);
    if (!setting) throw new Error(`no region for the aws provider${alias ? ` alias ${alias}` : ""}`);
    return { ...(alias ? { alias } : {}), region: setting.region };
  });
  return {
    config: {
      "//": "Generated by lib/rehearse from a legacy state: for the emulated account only.",
      terraform: { required_providers: { aws: { source: "hashicorp/aws" } } },
      provider: { aws: provider },
      resource: resources,
    },
    localAddress,
    setAside,
    substitutions,
    newerSchemas,
  };
}
