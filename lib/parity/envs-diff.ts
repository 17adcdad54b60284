import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { loadEnvironments, type EnvironmentConfig } from "../../config";
import { UserError } from "../cli/cli";
import { MediaDownloaderStack } from "../../stacks/media-downloader-stack";

/**
 * Compares two environments' synthesized stacks and explains every difference by config. Nothing is
 * listed by hand: for each config field whose value differs, the first environment is synthesized again
 * with only that field set to the second's value (a counterfactual); a difference is declared by every
 * field whose counterfactual changes the same place. What no field explains is undeclared. The adoption
 * blocks (moved/removed, per-environment state history) are left out: the adoption tests cover them.
 */

export interface Difference {
  /** `resource <type> <construct path>` plus the attribute path, or a top-level block path. */
  readonly where: string;
  readonly a: unknown;
  readonly b: unknown;
  /** Config fields (dotted) that declare it; empty = undeclared. */
  readonly declaredBy: readonly string[];
}

export interface EnvironmentsDiff {
  readonly a: string;
  readonly b: string;
  readonly differences: readonly Difference[];
  readonly undeclared: readonly Difference[];
}

type Flat = Map<string, unknown>;
const ABSENT = Symbol("absent");

/** The stack as comparable leaves: resources keyed by type and construct path (no stack id, no metadata). */
export function flattenStack(json: Record<string, unknown>): Flat {
  const flat: Flat = new Map();
  const put = (prefix: string, value: unknown) => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => k !== "//");
      if (entries.length === 0) flat.set(prefix, {});
      for (const [k, v] of entries) put(`${prefix}.${k}`, v);
    } else if (Array.isArray(value)) {
      if (value.length === 0) flat.set(prefix, []);
      value.forEach((v, i) => put(`${prefix}[${i}]`, v));
    } else flat.set(prefix, value);
  };
  const logicalIds = new Map<string, string>();
  for (const [type, byId] of Object.entries(
    (json.resource ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    for (const [id, resource] of Object.entries(byId)) {
      const path = (
        (resource as { "//"?: { metadata?: { path?: string } } })["//"]?.metadata?.path ?? id
      ).replace(/^[^/]+\//, "");
      logicalIds.set(`${type}.${id}`, `${type} ${path}`);
      flat.set(`resource ${type} ${path}`, "(present)");
      put(`resource ${type} ${path}`, resource);
    }
  }
  for (const [key, value] of Object.entries(json)) {
    if (key === "resource" || key === "//") continue;
    if ((key === "moved" || key === "removed") && Array.isArray(value)) {
      // Blocks named by their legacy address: a set, not a list.
      for (const block of value as { from: string }[]) put(`${key} ${block.from}`, block);
    } else put(key, value);
  }
  return flat;
}

function differingPlaces(a: Flat, b: Flat): Set<string> {
  const places = new Set<string>();
  for (const key of new Set([...a.keys(), ...b.keys()]))
    if (
      JSON.stringify(a.get(key) ?? null) !== JSON.stringify(b.get(key) ?? null) ||
      a.has(key) !== b.has(key)
    )
      places.add(key);
  return places;
}

/** Leaves of two configs that differ, as dotted field paths with both values. */
export function differingFields(a: unknown, b: unknown, prefix = ""): string[] {
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) =>
      differingFields(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        prefix ? `${prefix}.${k}` : k,
      ),
    );
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}

function withField(config: EnvironmentConfig, field: string, from: EnvironmentConfig): EnvironmentConfig {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  const parts = field.split(".");
  let target = copy;
  let source = from as unknown as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    target[part] = (target[part] ?? {}) as Record<string, unknown>;
    target = target[part] as Record<string, unknown>;
    source = (source?.[part] ?? {}) as Record<string, unknown>;
  }
  const last = parts[parts.length - 1];
  if (source && last in source) target[last] = structuredClone(source[last]);
  else delete target[last];
  return copy as unknown as EnvironmentConfig;
}

/** Synthesizes one environment's stack in-process, as JSON. */
export function synthEnvironment(config: EnvironmentConfig, stackId = "envs-diff"): Record<string, unknown> {
  // App wants an outdir; nothing is synthesized into it (toTerraform only), and it is removed.
  const outdir = mkdtempSync(join(tmpdir(), "envs-diff-"));
  try {
    const app = new App({ outdir, stackTraces: false, skipValidation: true });
    const stack = new MediaDownloaderStack(app, stackId, config, { adopt: false });
    return JSON.parse(JSON.stringify(stack.toTerraform())) as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * `a` with only `field` taken from `b`, synthesized. Some fields are valid only together (alarms need
 * alert endpoints): when the one-field change is refused, the smallest enclosing object is taken from `b`
 * instead; the difference is still credited to `field`, the field whose change was asked for.
 */
function counterfactualSynth(
  a: EnvironmentConfig,
  b: EnvironmentConfig,
  field: string,
  synth: (config: EnvironmentConfig) => Record<string, unknown>,
): [string, Flat] {
  let candidate = field;
  for (;;) {
    try {
      return [field, flattenStack(synth(withField(a, candidate, b)))];
    } catch (error) {
      const parent = candidate.includes(".") ? candidate.slice(0, candidate.lastIndexOf(".")) : undefined;
      if (!parent) throw error;
      candidate = parent;
    }
  }
}

export function diffEnvironments(
  names: readonly [string, string],
  configs: readonly [EnvironmentConfig, EnvironmentConfig],
  synth: (config: EnvironmentConfig) => Record<string, unknown> = synthEnvironment,
): EnvironmentsDiff {
  const [a, b] = configs;
  const flatA = flattenStack(synth(a));
  const flatB = flattenStack(synth(b));
  const places = differingPlaces(flatA, flatB);
  const causes = new Map<string, string[]>();
  for (const field of differingFields(a, b)) {
    const [declaredBy, counterfactual] = counterfactualSynth(a, b, field, synth);
    for (const place of differingPlaces(flatA, counterfactual)) {
      if (!causes.has(place)) causes.set(place, []);
      if (!causes.get(place)!.includes(declaredBy)) causes.get(place)!.push(declaredBy);
    }
  }
  const differences = [...places].sort().map((where) => ({
    where,
    a: flatA.has(where) ? flatA.get(where) : ABSENT,
    b: flatB.has(where) ? flatB.get(where) : ABSENT,
    declaredBy: causes.get(where) ?? [],
  }));
  return {
    a: names[0],
    b: names[1],
    differences,
    undeclared: differences.filter((d) => d.declaredBy.length === 0),
  };
}

/**
 * Two configured environments, by name, diffed (default: the first two in config). A wrong count or an
 * unknown name is one line naming what config has.
 */
export function diffNamedEnvironments(
  chosen: readonly string[],
  environments: Record<string, EnvironmentConfig> = loadEnvironments(),
): EnvironmentsDiff {
  const names = Object.keys(environments);
  if (chosen.length !== 0 && chosen.length !== 2) throw new UserError("expected two environments");
  const [a, b] = chosen.length > 0 ? chosen : names.slice(0, 2);
  for (const name of [a, b])
    if (!environments[name])
      throw new UserError(`unknown environment ${name} (config has ${names.join(", ")})`);
  return diffEnvironments([a, b], [environments[a], environments[b]]);
}

function show(value: unknown): string {
  if (value === ABSENT) return "(absent)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const short = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `\`${short.replace(/`/g, "'").replace(/\|/g, "\\|")}\``;
}

/** Markdown for a PR comment: a summary by config field, the undeclared differences, then every difference. */
export function formatDiffMarkdown(diff: EnvironmentsDiff): string {
  const byField = new Map<string, number>();
  for (const d of diff.differences) for (const f of d.declaredBy) byField.set(f, (byField.get(f) ?? 0) + 1);
  const lines = [
    `### Environment parity: ${diff.a} vs ${diff.b}`,
    "",
    `${diff.differences.length} differences in the synthesized stacks; ${diff.undeclared.length} not declared by config.`,
    "",
    "| Config field | Differences it declares |",
    "| --- | --- |",
    ...[...byField].sort().map(([field, n]) => `| \`${field}\` | ${n} |`),
    "",
  ];
  if (diff.undeclared.length > 0) {
    lines.push("**Undeclared differences** (no config field explains them):", "");
    lines.push(`| Where | ${diff.a} | ${diff.b} |`, "| --- | --- | --- |");
    for (const d of diff.undeclared) lines.push(`| \`${d.where}\` | ${show(d.a)} | ${show(d.b)} |`);
    lines.push("");
  }
  lines.push("<details><summary>Every difference</summary>", "");
  lines.push(`| Where | ${diff.a} | ${diff.b} | Declared by |`, "| --- | --- | --- | --- |");
  for (const d of diff.differences)
    lines.push(
      `| \`${d.where}\` | ${show(d.a)} | ${show(d.b)} | ${d.declaredBy.length ? d.declaredBy.map((f) => `\`${f}\``).join(", ") : "**undeclared**"} |`,
    );
  lines.push("", "</details>", "");
  return lines.join("\n");
}
