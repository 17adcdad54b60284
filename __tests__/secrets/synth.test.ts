import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { isUserError } from "../../lib/cli/cli";
import { recipientOf } from "../../lib/sops/age";
import { SecretsError } from "../../lib/sops/errors";
import { SAMPLE_RECIPIENTS } from "../../lib/sops/samples";
import { readSopsConfig, ruleForFile } from "../../lib/sops/sops-config";
import { usesSampleRecipients, verifySecretsForSynth } from "../../lib/sops/synth";
import {
  PROD_FILE,
  REPO_ROOT,
  STAGING_FILE,
  environments,
  itWhileSamplesCommitted,
  freshRecipients,
  read,
  removeTempRepos,
  samplePlain,
  tempRepo,
  testIdentities,
  withKey,
  write,
  writeEncrypted,
} from "./helpers";

afterAll(removeTempRepos);

function problemsOf(fn: () => void): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretsError);
    expect((error as Error).name).toBe("SecretsError");
    expect(isUserError(error)).toBe(true);
    return (error as SecretsError).problems;
  }
  throw new Error("expected a SecretsError");
}

describe("verifySecretsForSynth", () => {
  const { staging, production } = environments();

  it("accepts the committed files without any age key (synth never decrypts)", () => {
    const saved = Object.entries(process.env).filter(([name]) => name.startsWith("SOPS_AGE_"));
    for (const [name] of saved) delete process.env[name];
    try {
      expect(() => verifySecretsForSynth(REPO_ROOT, staging)).not.toThrow();
      expect(() => verifySecretsForSynth(REPO_ROOT, production)).not.toThrow();
    } finally {
      for (const [name, value] of saved) process.env[name] = value;
    }
  });

  it("reads only the environment's own file", async () => {
    const root = await tempRepo();
    rmSync(join(root, PROD_FILE));
    expect(() => verifySecretsForSynth(root, staging)).not.toThrow();
    expect(problemsOf(() => verifySecretsForSynth(root, production))).toEqual([
      `${PROD_FILE}: missing (expected a SOPS-encrypted YAML file)`,
    ]);
  });

  it("rejects an unparsable file", async () => {
    const root = await tempRepo();
    write(root, STAGING_FILE, "github: [unclosed\n");
    expect(problemsOf(() => verifySecretsForSynth(root, staging))).toEqual([
      expect.stringMatching(new RegExp(`^${STAGING_FILE}: not valid YAML`)),
    ]);
  });

  it("rejects a truncated file", async () => {
    const root = await tempRepo();
    const text = read(root, STAGING_FILE);
    write(root, STAGING_FILE, text.slice(0, text.indexOf("-----END AGE ENCRYPTED FILE-----")));
    const problems = problemsOf(() => verifySecretsForSynth(root, staging));
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${STAGING_FILE}: .*truncated`))]),
    );
  });

  it("rejects a plaintext value, naming the key", async () => {
    const root = await tempRepo();
    write(root, STAGING_FILE, read(root, STAGING_FILE).replace(/^( {4}issueToken: ).*$/m, "$1ghp_plaintext"));
    expect(problemsOf(() => verifySecretsForSynth(root, staging))).toEqual([
      `${STAGING_FILE}: key github.issueToken: is not encrypted (plaintext committed?)`,
    ]);
  });

  it("rejects a file lacking a key the construct reads", async () => {
    const root = await tempRepo();
    await writeEncrypted(root, PROD_FILE, withKey(samplePlain("prod"), "apns.certificate", undefined), [
      SAMPLE_RECIPIENTS.production,
    ]);
    expect(problemsOf(() => verifySecretsForSynth(root, production))).toEqual([
      `${PROD_FILE}: key apns.certificate: missing (the stack reads it as apnsCertificate)`,
    ]);
  });

  it("refuses a file encrypted to the other environment's recipient, in one line, with no key", async () => {
    const root = await tempRepo();
    await writeEncrypted(root, STAGING_FILE, samplePlain("staging"), [SAMPLE_RECIPIENTS.production]);
    expect(problemsOf(() => verifySecretsForSynth(root, staging))).toEqual([
      `${STAGING_FILE}: encrypted to ${SAMPLE_RECIPIENTS.production} (creation_rules[1]: (^|/)secrets/secrets\\.prod\\.enc\\.yaml$), but .sops.yaml creation_rules[0] gives it ${SAMPLE_RECIPIENTS.staging}: the deploy, holding its environment's key, could not decrypt it; re-encrypt it: sops updatekeys ${STAGING_FILE}`,
    ]);
  });

  it("refuses a file that another environment's key can open too", async () => {
    const root = await tempRepo();
    await writeEncrypted(root, STAGING_FILE, samplePlain("staging"), [
      SAMPLE_RECIPIENTS.staging,
      SAMPLE_RECIPIENTS.production,
    ]);
    expect(problemsOf(() => verifySecretsForSynth(root, staging))).toEqual([
      expect.stringMatching(/: a key it is not meant for can decrypt it; re-encrypt it: sops updatekeys /),
    ]);
  });

  it("refuses a file no .sops.yaml rule covers", async () => {
    const root = await tempRepo();
    write(
      root,
      ".sops.yaml",
      "creation_rules:\n  - path_regex: nothing-matches\n    age: " + SAMPLE_RECIPIENTS.staging + "\n",
    );
    expect(problemsOf(() => verifySecretsForSynth(root, staging))).toEqual([
      `${STAGING_FILE}: no creation rule in .sops.yaml matches this path (secrets/README.md)`,
    ]);
  });

  it("follows the environment's apns.secretPath", () => {
    const moved = { ...staging, apns: { ...staging.apns, secretPath: "push.apple" } };
    const problems = problemsOf(() => verifySecretsForSynth(REPO_ROOT, moved));
    expect(problems).toContain(
      `${STAGING_FILE}: key push.apple.team: missing (the stack reads it as apnsTeam)`,
    );
    expect(problems).toHaveLength(6);
  });
});

describe("sample recipients", () => {
  itWhileSamplesCommitted("are the recipients of the committed files and .sops.yaml rules", () => {
    expect(usesSampleRecipients(join(REPO_ROOT, STAGING_FILE))).toBe(true);
    expect(usesSampleRecipients(join(REPO_ROOT, PROD_FILE))).toBe(true);
    const rules = readSopsConfig(REPO_ROOT);
    expect(ruleForFile(rules, STAGING_FILE)?.ageRecipients).toEqual([SAMPLE_RECIPIENTS.staging]);
    expect(ruleForFile(rules, PROD_FILE)?.ageRecipients).toEqual([SAMPLE_RECIPIENTS.production]);
    expect(ruleForFile(rules, "secrets/secrets.other.enc.yaml")).toBeUndefined();
  });

  it("are reported for a file encrypted to one of them, and only then", async () => {
    const root = await tempRepo();
    expect(usesSampleRecipients(join(root, STAGING_FILE))).toBe(true);
    await writeEncrypted(root, STAGING_FILE, samplePlain("staging"), await freshRecipients(1));
    expect(usesSampleRecipients(join(root, STAGING_FILE))).toBe(false);
  });

  it("are the public keys of the TEST KEYS fixture, one per environment, none shared", async () => {
    const recipients = await Promise.all(testIdentities().map(recipientOf));
    expect(recipients).toEqual([SAMPLE_RECIPIENTS.staging, SAMPLE_RECIPIENTS.production]);
    expect(new Set(Object.values(SAMPLE_RECIPIENTS)).size).toBe(2);
  });

  it("have their private keys only in a file marked as TEST KEYS", () => {
    const text = readFileSync(
      join(REPO_ROOT, "__tests__/fixtures/sops/TEST-KEYS.sample-secrets.txt"),
      "utf8",
    );
    expect(text.split("\n")[0]).toMatch(/^# TEST KEYS ONLY/);
  });
});
