import { join } from "node:path";
import type { EnvironmentConfig } from "../../config";
import { secretKeys } from "../../media-downloader/secrets";
import { SecretsError } from "./errors";
import { isSampleRecipient } from "./samples";
import { flattenKeys, readSopsFile, valueProblems, type SopsDocument } from "./sops-file";

/**
 * What a synth checks about an environment's secrets, without any key (it runs on every synth): the
 * file exists and is a complete SOPS file, every value is encrypted, and every key the construct reads
 * is there. Terraform decrypts at plan time; this makes the mistakes a synth can see fail early.
 */
export function verifySecretsForSynth(repoRoot: string, config: EnvironmentConfig): void {
  const doc = readSopsFile(join(repoRoot, config.secretsFile), config.secretsFile);
  const problems = [...valueProblems(doc), ...constructKeyProblems(doc, config)];
  if (problems.length > 0)
    throw new SecretsError(problems, `secrets of ${config.environment} are not usable`);
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
