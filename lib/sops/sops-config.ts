import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { SecretsError } from "./errors";

/** One creation rule of `.sops.yaml`, reduced to what this repository uses: a path regex and age recipients. */
export interface CreationRule {
  /** Position in creation_rules, for messages. */
  readonly index: number;
  readonly pathRegex: string;
  readonly ageRecipients: readonly string[];
}

export const SOPS_CONFIG_FILE = ".sops.yaml";

/** Reads `<repoRoot>/.sops.yaml`; throws SecretsError when it is missing or malformed. */
export function readSopsConfig(repoRoot: string): CreationRule[] {
  const path = join(repoRoot, SOPS_CONFIG_FILE);
  if (!existsSync(path))
    throw new SecretsError([`${SOPS_CONFIG_FILE}: missing (the creation rules per environment)`]);
  return parseSopsConfig(readFileSync(path, "utf8"));
}

export function parseSopsConfig(text: string): CreationRule[] {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) {
    throw new SecretsError([`${SOPS_CONFIG_FILE}: not valid YAML: ${doc.errors[0].message.split("\n")[0]}`]);
  }
  const raw = doc.toJS() as { creation_rules?: unknown } | null;
  const rules = raw?.creation_rules;
  if (!Array.isArray(rules) || rules.length === 0) {
    throw new SecretsError([`${SOPS_CONFIG_FILE}: creation_rules: expected a list of rules`]);
  }
  const problems: string[] = [];
  const out = rules.map((rule: unknown, index: number): CreationRule => {
    const r = (typeof rule === "object" && rule !== null ? rule : {}) as Record<string, unknown>;
    const where = `${SOPS_CONFIG_FILE}: creation_rules[${index}]`;
    const pathRegex = typeof r.path_regex === "string" ? r.path_regex : "";
    try {
      new RegExp(pathRegex);
    } catch {
      problems.push(`${where}.path_regex: not a valid regular expression`);
    }
    const ageRecipients = [...keyList(r.age, `${where}.age`, problems)];
    if (Array.isArray(r.key_groups)) {
      r.key_groups.forEach((group: unknown, g: number) => {
        const age = (typeof group === "object" && group !== null ? group : {}) as Record<string, unknown>;
        ageRecipients.push(...keyList(age.age, `${where}.key_groups[${g}].age`, problems));
      });
    }
    return { index, pathRegex, ageRecipients: [...new Set(ageRecipients)] };
  });
  if (problems.length > 0) throw new SecretsError(problems);
  return out;
}

/** sops accepts a comma-separated string or a list (config.go parseKeyField). */
function keyList(value: unknown, where: string, problems: string[]): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") {
    return value
      .split(",")
      .map((k) => k.trim())
      .filter(Boolean);
  }
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    return value.map((v: string) => v.trim()).filter(Boolean);
  }
  problems.push(`${where}: expected a comma-separated string or a list of recipients`);
  return [];
}

/**
 * The rule sops applies to a file: the first whose path_regex matches the path relative to the
 * directory of `.sops.yaml` (an empty path_regex matches every file).
 */
export function ruleForFile(rules: readonly CreationRule[], relativePath: string): CreationRule | undefined {
  const path = relativePath.split("\\").join("/");
  return rules.find((rule) => rule.pathRegex === "" || new RegExp(rule.pathRegex).test(path));
}
