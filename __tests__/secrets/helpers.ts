import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadEnvironments, type EnvironmentConfig } from "../../config";
import { loadAge, parseIdentities } from "../../lib/sops/age";
import { SAMPLE_RECIPIENTS } from "../../lib/sops/samples";
import { encryptSops } from "../../lib/sops/sops-crypto";
import { usesSampleRecipients } from "../../lib/sops/synth";
import { isTree, parsePlainYaml, type SopsTree, type SopsValue } from "../../lib/sops/sops-file";

export const REPO_ROOT = resolve(__dirname, "../..");
export const FIXTURES = join(REPO_ROOT, "__tests__/fixtures/sops");
/** The TEST KEYS of the sample recipients: public, for the sample files only. */
export const TEST_KEY_FILE = join(FIXTURES, "TEST-KEYS.sample-secrets.txt");

export const STAGING_FILE = "secrets/secrets.staging.enc.yaml";
export const PROD_FILE = "secrets/secrets.prod.enc.yaml";

export function testIdentities(): string[] {
  return parseIdentities(readFileSync(TEST_KEY_FILE, "utf8"), TEST_KEY_FILE);
}

export const STAGING_RECIPIENT = SAMPLE_RECIPIENTS.staging;
export const PROD_RECIPIENT = SAMPLE_RECIPIENTS.production;

export function environments(): Record<string, EnvironmentConfig> {
  return loadEnvironments();
}

/**
 * The environments of the sample layout that tempRepo() writes: staging and production with the sample
 * files, whatever else config holds, so the SOPS checks are tested on fixed inputs.
 */
export function sampleLayoutEnvironments(): Record<string, EnvironmentConfig> {
  const { staging, production } = loadEnvironments();
  return {
    staging: { ...staging, secretsFile: STAGING_FILE },
    production: { ...production, secretsFile: PROD_FILE },
  };
}

/** The secrets file of every configured environment, in config order (README: one per environment). */
export function committedSecretsFiles(): string[] {
  return Object.values(loadEnvironments()).map((config) => config.secretsFile);
}

/** The committed secrets files still encrypted to a sample recipient. */
export function committedSampleFiles(): string[] {
  return committedSecretsFiles().filter((file) => usesSampleRecipients(join(REPO_ROOT, file)));
}

/** A file name as a literal inside a regular expression. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The plaintext of a sample file, from the fixtures. */
export function samplePlain(env: "staging" | "prod"): SopsTree {
  const file = join(FIXTURES, `secrets.${env}.plain.yaml`);
  return parsePlainYaml(readFileSync(file, "utf8"), file);
}

/** New age recipients whose identities nobody keeps (X25519 key generation is cheap). */
export async function freshRecipients(count: number): Promise<string[]> {
  const age = loadAge();
  return Promise.all(
    Array.from({ length: count }, async () => age.identityToRecipient(await age.generateX25519Identity())),
  );
}

/** A SOPS tree as the plain object sops-age returns. */
export function toPlain(value: SopsValue): unknown {
  if (isTree(value)) return Object.fromEntries([...value].map(([k, v]) => [k, toPlain(v)]));
  if (Array.isArray(value)) return value.map(toPlain);
  return value;
}

/** A deep copy of a tree with one dotted key set (or removed with `undefined`). */
export function withKey(tree: SopsTree, dotted: string, value: SopsValue | undefined): SopsTree {
  const copy = clone(tree) as SopsTree;
  const parts = dotted.split(".");
  let node = copy;
  for (const part of parts.slice(0, -1)) {
    if (!isTree(node.get(part))) node.set(part, new Map());
    node = node.get(part) as SopsTree;
  }
  if (value === undefined) node.delete(parts[parts.length - 1]);
  else node.set(parts[parts.length - 1], value);
  return copy;
}

function clone(value: SopsValue): SopsValue {
  if (isTree(value)) return new Map([...value].map(([k, v]) => [k, clone(v)] as [string, SopsValue]));
  if (Array.isArray(value)) return value.map(clone);
  return value;
}

const temps: string[] = [];

/** The `.sops.yaml` of the sample layout: one rule per environment, each with its sample recipient. */
export const SAMPLE_SOPS_CONFIG = [
  "creation_rules:",
  "  - path_regex: (^|/)secrets/secrets\\.staging\\.enc\\.yaml$",
  `    age: ${SAMPLE_RECIPIENTS.staging}`,
  "  - path_regex: (^|/)secrets/secrets\\.prod\\.enc\\.yaml$",
  `    age: ${SAMPLE_RECIPIENTS.production}`,
  "",
].join("\n");

let cachedSamples: Promise<Record<"staging" | "prod", string>> | undefined;

/** The sample files, encrypted once per test file from the fixtures (independent of the committed files). */
export function sampleTexts(): Promise<Record<"staging" | "prod", string>> {
  cachedSamples ??= (async () => ({
    staging: await encryptSops(samplePlain("staging"), { recipients: [STAGING_RECIPIENT] }),
    prod: await encryptSops(samplePlain("prod"), { recipients: [PROD_RECIPIENT] }),
  }))();
  return cachedSamples;
}

/**
 * A temporary repository with the sample layout (.sops.yaml, secrets/), built from the fixtures, to
 * modify freely: tests never touch the committed files, and keep working once those use real keys.
 */
export async function tempRepo(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "secrets-test-"));
  temps.push(root);
  const texts = await sampleTexts();
  mkdirSync(join(root, "secrets"));
  writeFileSync(join(root, ".sops.yaml"), SAMPLE_SOPS_CONFIG);
  writeFileSync(join(root, STAGING_FILE), texts.staging);
  writeFileSync(join(root, PROD_FILE), texts.prod);
  return root;
}

/** Whether the committed files still use the sample recipients (tests about them skip once they do not). */
export const SAMPLES_COMMITTED = committedSampleFiles().length > 0;

/** `it` while the committed files are the samples, `it.skip` after the swap to real keys. */
export const itWhileSamplesCommitted = SAMPLES_COMMITTED ? it : it.skip;

export function removeTempRepos(): void {
  for (const root of temps.splice(0)) rmSync(root, { recursive: true, force: true });
}

export function read(root: string, file: string): string {
  return readFileSync(join(root, file), "utf8");
}

export function write(root: string, file: string, text: string): void {
  writeFileSync(join(root, file), text);
}

/** Writes a freshly encrypted file into a temp repo. */
export async function writeEncrypted(
  root: string,
  file: string,
  tree: SopsTree,
  recipients: readonly string[],
): Promise<void> {
  write(root, file, await encryptSops(tree, { recipients }));
}
