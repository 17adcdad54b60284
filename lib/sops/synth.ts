import { join } from "node:path";
import type { EnvironmentConfig } from "../../config";
import { secretKeys } from "../../media-downloader/secrets";
import { SecretsError } from "./errors";
import { isSampleRecipient } from "./samples";
import { readSopsConfig, ruleForFile, SOPS_CONFIG_FILE, type CreationRule } from "./sops-config";
import { flattenKeys, readSopsFile, valueProblems, type SopsDocument } from "./sops-file";

/**
 * What a synth checks about an environment's secrets, without any key (it runs on every synth): the
 * file exists and is a complete SOPS file, every value is encrypted, every key the construct reads is
 * there, and it is encrypted to exactly the recipients `.sops.yaml` gives that file. Terraform decrypts at
 * plan time; this makes the mistakes a synth can see fail early.
 */
export function verifySecretsForSynth(repoRoot: string, config: EnvironmentConfig): void {
  const doc = readSopsFile(join(repoRoot, config.secretsFile), config.secretsFile);
  const problems = [
    ...valueProblems(doc),
    ...constructKeyProblems(doc, config),
    ...recipientProblems(doc, readSopsConfig(repoRoot)),
  ];
  if (problems.length > 0)
    throw new SecretsError(problems, `secrets of ${config.environment} are not usable`);
}

/**
 * One line when the file's recipients are not those of its `.sops.yaml` creation rule: a file encrypted to
 * another environment's recipient is one the deploy (holding its own environment's key) cannot decrypt,
 * and one that other environment's key can. Only public recipients are compared: no key is needed.
 */
export function recipientProblems(doc: SopsDocument, rules: readonly CreationRule[]): string[] {
  const rule = ruleForFile(rules, doc.label);
  if (!rule)
    return [`${doc.label}: no creation rule in ${SOPS_CONFIG_FILE} matches this path (secrets/README.md)`];
  const actual = doc.metadata.age.map((a) => a.recipient);
  const expected = rule.ageRecipients;
  const extra = actual.filter((r) => !expected.includes(r));
  const missing = expected.filter((r) => !actual.includes(r));
  if (extra.length === 0 && missing.length === 0) return [];
  const described = actual.map((r) => {
    const owner =
      extra.includes(r) && rules.find((other) => other !== rule && other.ageRecipients.includes(r));
    return owner ? `${r} (creation_rules[${owner.index}]: ${owner.pathRegex})` : r;
  });
  const harm =
    missing.length > 0
      ? "the deploy, holding its environment's key, could not decrypt it"
      : "a key it is not meant for can decrypt it";
  return [
    `${doc.label}: encrypted to ${described.join(", ")}, but ${SOPS_CONFIG_FILE} creation_rules[${rule.index}] ` +
      `gives it ${expected.join(", ")}: ${harm}; re-encrypt it: sops updatekeys ${doc.label}`,
  ];
}

/** Keys the construct reads (media-downloader/secrets.ts) that the file lacks or holds as a branch. */
export function constructKeyIssues(
  doc: SopsDocument,
  config: EnvironmentConfig,
): { readonly key: string; readonly problem: string }[] {
  const keys = flattenKeys(doc.data);
  const issues: { key: string; problem: string }[] = [];
  for (const [role, key] of Object.entries(secretKeys(config.apns.secretPath))) {
    const kind = keys.get(key);
    if (kind === undefined) {
      issues.push({ key, problem: `${doc.label}: key ${key}: missing (the stack reads it as ${role})` });
    } else if (kind !== "value") {
      issues.push({
        key,
        problem: `${doc.label}: key ${key}: is a ${kind}, but the stack reads one value from it (${role})`,
      });
    }
  }
  return issues;
}

export function constructKeyProblems(doc: SopsDocument, config: EnvironmentConfig): string[] {
  return constructKeyIssues(doc, config).map((issue) => issue.problem);
}

/** The sample recipients (samples.ts) a file is encrypted to. */
export function sampleRecipientsOf(file: string | SopsDocument): string[] {
  const doc = typeof file === "string" ? readSopsFile(file) : file;
  return doc.metadata.age.map((a) => a.recipient).filter(isSampleRecipient);
}

/**
 * Whether a SOPS file (a path, absolute or relative to the working directory, or a parsed document) is
 * encrypted to any sample recipient, whose private keys are public. Throws SecretsError when the file
 * is missing or not a SOPS file.
 */
export function usesSampleRecipients(file: string | SopsDocument): boolean {
  return sampleRecipientsOf(file).length > 0;
}
