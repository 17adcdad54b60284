import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { EnvironmentConfig } from "../../config";
import { SecretsError } from "./errors";
import { SAMPLE_RECIPIENT_REASON } from "./samples";
import { readSopsConfig, ruleForFile, SOPS_CONFIG_FILE, type CreationRule } from "./sops-config";
import { decryptSops } from "./sops-crypto";
import { leaves, readSopsFile, valueProblems, type SopsDocument } from "./sops-file";
import { constructKeyIssues, sampleRecipientsOf } from "./synth";

export interface CheckSecretsOptions {
  readonly repoRoot: string;
  /** The environments by name (loadEnvironments()); each names its own secrets file. */
  readonly environments: Readonly<Record<string, EnvironmentConfig>>;
  /** A deploy refuses sample recipients (an error instead of a warning). */
  readonly deploy?: boolean;
  /** Age identities; when one opens a file, the file is decrypted and its MAC verified. */
  readonly identities?: readonly string[];
}

export interface CheckSecretsReport {
  /** One line each, naming the file and the key or recipient; any problem fails the check. */
  readonly problems: string[];
  /** Loud warnings: one line per file encrypted to sample recipients (when not deploying). */
  readonly warnings: string[];
  /** What was verified or skipped. */
  readonly notes: string[];
}

interface Env {
  readonly name: string;
  readonly config: EnvironmentConfig;
  readonly file: string;
  doc?: SopsDocument;
  rule?: CreationRule;
}

/**
 * Checks every environment's secrets file, without a private key unless identities are given:
 * presence and format, encrypted values only, sops metadata and MAC present, recipients as `.sops.yaml`
 * assigns them, no recipient shared between environments, the same keys in every file, the keys the
 * construct reads, sample recipients, and no stray (decrypted?) files next to the encrypted ones.
 */
export async function checkSecrets(options: CheckSecretsOptions): Promise<CheckSecretsReport> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const notes: string[] = [];
  const envs: Env[] = Object.entries(options.environments).map(([name, config]) => ({
    name,
    config,
    file: config.secretsFile,
  }));

  for (const env of envs) {
    try {
      env.doc = readSopsFile(join(options.repoRoot, env.file), env.file);
    } catch (error) {
      if (!(error instanceof SecretsError)) throw error;
      problems.push(...error.problems);
      continue;
    }
    problems.push(...valueProblems(env.doc));
  }

  checkRecipients(options.repoRoot, envs, problems);

  // The keys the construct reads, then the same key set everywhere (not repeating a key reported missing).
  const reported = new Set<string>();
  for (const env of envs) {
    if (!env.doc) continue;
    for (const issue of constructKeyIssues(env.doc, env.config)) {
      problems.push(issue.problem);
      reported.add(`${env.file} ${issue.key}`);
    }
  }
  const parsed = envs.filter((e): e is Env & { doc: SopsDocument } => e.doc !== undefined);
  const keySets = new Map(parsed.map((e) => [e.file, new Set(leaves(e.doc.data).map((l) => l.key))]));
  const allKeys = [...new Set(parsed.flatMap((e) => [...keySets.get(e.file)!]))];
  for (const env of parsed) {
    for (const key of allKeys) {
      if (keySets.get(env.file)!.has(key) || reported.has(`${env.file} ${key}`)) continue;
      const holders = parsed.filter((o) => keySets.get(o.file)!.has(key)).map((o) => o.file);
      problems.push(`${env.file}: key ${key}: missing (present in ${holders.join(", ")})`);
    }
  }

  for (const env of parsed) {
    const samples = sampleRecipientsOf(env.doc);
    if (samples.length === 0) continue;
    const which = `the SAMPLE recipient ${samples.join(", ")} ${SAMPLE_RECIPIENT_REASON}`;
    if (options.deploy) {
      problems.push(
        `${env.file}: encrypted to ${which}: a deploy refuses it; swap in your own keys (secrets/README.md)`,
      );
    } else {
      warnings.push(
        `!!! WARNING: ${env.file} is encrypted to ${which}: fake values only, never real secrets; a deploy (--deploy) refuses it. See secrets/README.md.`,
      );
    }
  }

  problems.push(...strayFiles(options.repoRoot, envs));

  const identities = options.identities ?? [];
  if (identities.length > 0) {
    for (const env of parsed) {
      try {
        const result = await decryptSops(env.doc, identities);
        if (result) notes.push(`${env.file}: decrypted with the key of ${result.recipient}; MAC verified`);
        else {
          const recipients = env.doc.metadata.age.map((a) => a.recipient).join(", ");
          notes.push(`${env.file}: no key given for its recipients (${recipients}); MAC not verified`);
        }
      } catch (error) {
        if (!(error instanceof SecretsError)) throw error;
        problems.push(...error.problems);
      }
    }
  }
  return { problems, warnings, notes };
}

/** Recipients of each file against its `.sops.yaml` rule, and no recipient shared between environments. */
function checkRecipients(repoRoot: string, envs: Env[], problems: string[]): void {
  let rules: CreationRule[] | undefined;
  try {
    rules = readSopsConfig(repoRoot);
  } catch (error) {
    if (!(error instanceof SecretsError)) throw error;
    problems.push(...error.problems);
  }
  const reported = new Set<string>();
  if (rules) {
    for (const env of envs) {
      env.rule = ruleForFile(rules, env.file);
      if (!env.rule) problems.push(`${env.file}: no creation rule in ${SOPS_CONFIG_FILE} matches this path`);
      else if (env.rule.ageRecipients.length === 0) {
        problems.push(
          `${env.file}: ${SOPS_CONFIG_FILE} creation_rules[${env.rule.index}] lists no age recipients`,
        );
      }
    }
    // Each environment has its own rule, and the rules share no recipient.
    envs.forEach((env, i) => {
      for (const other of envs.slice(0, i)) {
        if (!env.rule || !other.rule) continue;
        if (env.rule.index === other.rule.index) {
          problems.push(
            `${env.file}: ${SOPS_CONFIG_FILE} applies creation_rules[${env.rule.index}] to it and to ${other.file}; each environment needs its own rule`,
          );
          continue;
        }
        for (const r of env.rule.ageRecipients.filter((x) => other.rule!.ageRecipients.includes(x))) {
          problems.push(
            `${SOPS_CONFIG_FILE}: creation_rules[${other.rule.index}] (${other.file}) and creation_rules[${env.rule.index}] (${env.file}) share recipient ${r}; environments must not share keys`,
          );
        }
      }
    });
    for (const env of envs) {
      if (!env.doc || !env.rule || env.rule.ageRecipients.length === 0) continue;
      const actual = env.doc.metadata.age.map((a) => a.recipient);
      const expected = env.rule.ageRecipients;
      for (const r of actual.filter((x) => !expected.includes(x))) {
        const owner = envs.find((o) => o !== env && o.rule?.ageRecipients.includes(r));
        problems.push(
          owner
            ? `${env.file}: encrypted to recipient ${r}, which ${SOPS_CONFIG_FILE} assigns to ${owner.name} (${owner.file}); re-encrypt: sops updatekeys ${env.file}`
            : `${env.file}: encrypted to recipient ${r}, which ${SOPS_CONFIG_FILE} does not list for this file; re-encrypt: sops updatekeys ${env.file}`,
        );
        reported.add(`${env.file} ${r}`);
      }
      for (const r of expected.filter((x) => !actual.includes(x))) {
        problems.push(
          `${env.file}: not encrypted to recipient ${r}, which ${SOPS_CONFIG_FILE} lists for this file; re-encrypt: sops updatekeys ${env.file}`,
        );
      }
    }
  }
  // The files themselves share no recipient (whatever .sops.yaml says).
  envs.forEach((env, i) => {
    for (const other of envs.slice(0, i)) {
      if (!env.doc || !other.doc) continue;
      const theirs = other.doc.metadata.age.map((a) => a.recipient);
      for (const { recipient: r } of env.doc.metadata.age) {
        if (!theirs.includes(r) || reported.has(`${env.file} ${r}`) || reported.has(`${other.file} ${r}`))
          continue;
        problems.push(
          `${env.file}: recipient ${r} is also a recipient of ${other.file}; environments must not share keys`,
        );
      }
    }
  });
}

/** Files next to the encrypted ones that look like data: likely decrypted copies about to be committed. */
function strayFiles(repoRoot: string, envs: readonly Env[]): string[] {
  const expected = new Set(envs.map((e) => e.file));
  const problems: string[] = [];
  for (const dir of new Set(envs.map((e) => dirname(e.file)))) {
    const abs = join(repoRoot, dir);
    if (!existsSync(abs)) continue;
    for (const name of readdirSync(abs).sort()) {
      const rel = `${dir}/${name}`;
      if (expected.has(rel) || name.startsWith(".") || /^readme\.md$/i.test(name)) continue;
      if (!statSync(join(abs, name)).isFile()) continue;
      if (/\.(ya?ml|json|env|ini|txt|dec|plain|bak|tmp)$/i.test(name) || !name.includes(".")) {
        problems.push(
          `${rel}: unexpected file next to the encrypted secrets (a decrypted copy?); only ${[...expected].join(", ")} belong in ${dir}/`,
        );
      }
    }
  }
  return problems;
}
