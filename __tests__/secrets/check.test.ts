import { rmSync } from "node:fs";
import { join } from "node:path";
import { checkSecrets, type CheckSecretsReport } from "../../lib/sops/check-secrets";
import {
  PROD_FILE,
  PROD_RECIPIENT,
  REPO_ROOT,
  committedSampleFiles,
  literal,
  sampleLayoutEnvironments,
  STAGING_FILE,
  STAGING_RECIPIENT,
  environments,
  freshRecipients,
  itWhileSamplesCommitted,
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

async function check(
  repoRoot: string,
  options: { deploy?: boolean; identities?: string[] } = {},
): Promise<CheckSecretsReport> {
  // The committed files are checked against config's environments; a temporary copy holds the sample layout.
  const envs = repoRoot === REPO_ROOT ? environments() : sampleLayoutEnvironments();
  const report = await checkSecrets({ repoRoot, environments: envs, ...options });
  for (const line of [...report.problems, ...report.warnings]) expect(line).not.toContain("\n");
  return report;
}

describe("secrets check on the committed files", () => {
  it("passes without a key", async () => {
    expect((await check(REPO_ROOT)).problems).toEqual([]);
  });

  itWhileSamplesCommitted("warns loudly, once per file, about the sample recipients", async () => {
    const report = await check(REPO_ROOT);
    expect(report.warnings).toEqual(
      committedSampleFiles().map((file) =>
        expect.stringMatching(new RegExp(`^!!! WARNING: ${literal(file)} .*SAMPLE recipient age1`)),
      ),
    );
    const byFile = (file: string) => report.warnings.find((w) => w.includes(`WARNING: ${file} `)) ?? "";
    if (committedSampleFiles().includes(STAGING_FILE))
      expect(byFile(STAGING_FILE)).toContain(STAGING_RECIPIENT);
    if (committedSampleFiles().includes(PROD_FILE)) expect(byFile(PROD_FILE)).toContain(PROD_RECIPIENT);
    expect(report.notes).toEqual([]);
  });

  itWhileSamplesCommitted("decrypts and verifies both MACs with the test keys", async () => {
    const report = await check(REPO_ROOT, { identities: testIdentities() });
    expect(report.problems).toEqual([]);
    expect(report.notes).toEqual(
      expect.arrayContaining(
        committedSampleFiles().map((file) =>
          expect.stringMatching(
            new RegExp(`^${literal(file)}: decrypted with the key of age1\\w+; MAC verified$`),
          ),
        ),
      ),
    );
  });
});

describe("secrets check on the sample layout (temporary copies)", () => {
  it("passes, and warns once per file", async () => {
    const report = await check(await tempRepo());
    expect(report.problems).toEqual([]);
    expect(report.warnings).toHaveLength(2);
  });

  it("notes a file it has no key for instead of failing", async () => {
    const report = await check(await tempRepo(), { identities: [testIdentities()[0]] });
    expect(report.problems).toEqual([]);
    expect(report.notes).toEqual([
      `${STAGING_FILE}: decrypted with the key of ${STAGING_RECIPIENT}; MAC verified`,
      `${PROD_FILE}: no key given for its recipients (${PROD_RECIPIENT}); MAC not verified`,
    ]);
  });

  it("refuses the sample recipients under --deploy, naming each file", async () => {
    const report = await check(await tempRepo(), { deploy: true });
    expect(report.warnings).toEqual([]);
    expect(report.problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${STAGING_FILE}: encrypted to the SAMPLE recipient ${STAGING_RECIPIENT} .*a deploy refuses it`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^${PROD_FILE}: encrypted to the SAMPLE recipient ${PROD_RECIPIENT} .*a deploy refuses it`,
        ),
      ),
    ]);
  });

  it("accepts other recipients under --deploy", async () => {
    const root = await tempRepo();
    const other = await freshRecipients(2);
    write(
      root,
      ".sops.yaml",
      read(root, ".sops.yaml").replace(STAGING_RECIPIENT, other[0]).replace(PROD_RECIPIENT, other[1]),
    );
    await writeEncrypted(root, STAGING_FILE, samplePlain("staging"), [other[0]]);
    await writeEncrypted(root, PROD_FILE, samplePlain("prod"), [other[1]]);
    const report = await check(root, { deploy: true });
    expect(report).toEqual({ problems: [], warnings: [], notes: [] });
  });
});

describe("secrets check failures (temporary copies of the sample layout)", () => {
  it("reports a missing file", async () => {
    const root = await tempRepo();
    rmSync(join(root, PROD_FILE));
    const report = await check(root);
    expect(report.problems).toEqual([`${PROD_FILE}: missing (expected a SOPS-encrypted YAML file)`]);
  });

  it("reports a plaintext value by file and key, never printing the value", async () => {
    const root = await tempRepo();
    const text = read(root, STAGING_FILE).replace(/^( {4}team: ).*$/m, "$1SAMPLETEAM");
    write(root, STAGING_FILE, text);
    const report = await check(root);
    expect(report.problems).toEqual([
      `${STAGING_FILE}: key apns.team: is not encrypted (plaintext committed?)`,
    ]);
    expect(JSON.stringify(report)).not.toContain("SAMPLETEAM");
  });

  it("reports a plaintext comment (sops encrypts comments)", async () => {
    const root = await tempRepo();
    write(root, PROD_FILE, read(root, PROD_FILE).replace(/^( {4}team: .*)$/m, "$1 # was SAMPLETEAM"));
    const report = await check(root);
    expect(report.problems).toEqual([
      `${PROD_FILE}: comment near key apns.team: is not encrypted (sops encrypts comments)`,
    ]);
    expect(JSON.stringify(report)).not.toContain("SAMPLETEAM");
  });

  it("reports a truncated file", async () => {
    const root = await tempRepo();
    const text = read(root, PROD_FILE);
    write(root, PROD_FILE, text.slice(0, text.indexOf("    lastmodified:")));
    const report = await check(root);
    expect(report.problems).toEqual(
      expect.arrayContaining([`${PROD_FILE}: sops.lastmodified is missing (file truncated?)`]),
    );
  });

  it("reports a file encrypted to the other environment's recipient", async () => {
    const root = await tempRepo();
    await writeEncrypted(root, STAGING_FILE, samplePlain("staging"), [PROD_RECIPIENT]);
    const report = await check(root);
    expect(report.problems).toEqual([
      `${STAGING_FILE}: encrypted to recipient ${PROD_RECIPIENT}, which .sops.yaml assigns to production (${PROD_FILE}); re-encrypt: sops updatekeys ${STAGING_FILE}`,
      `${STAGING_FILE}: not encrypted to recipient ${STAGING_RECIPIENT}, which .sops.yaml lists for this file; re-encrypt: sops updatekeys ${STAGING_FILE}`,
    ]);
  });

  it("reports environments sharing a recipient in .sops.yaml", async () => {
    const root = await tempRepo();
    write(
      root,
      ".sops.yaml",
      read(root, ".sops.yaml").replace(PROD_RECIPIENT, `${PROD_RECIPIENT},${STAGING_RECIPIENT}`),
    );
    await writeEncrypted(root, PROD_FILE, samplePlain("prod"), [PROD_RECIPIENT, STAGING_RECIPIENT]);
    const report = await check(root);
    expect(report.problems).toEqual([
      `.sops.yaml: creation_rules[0] (${STAGING_FILE}) and creation_rules[1] (${PROD_FILE}) share recipient ${STAGING_RECIPIENT}; environments must not share keys`,
      `${PROD_FILE}: recipient ${STAGING_RECIPIENT} is also a recipient of ${STAGING_FILE}; environments must not share keys`,
    ]);
  });

  it("reports a recipient .sops.yaml lists that the file is not encrypted to (updatekeys not run)", async () => {
    const root = await tempRepo();
    const [extra] = await freshRecipients(1);
    write(root, ".sops.yaml", read(root, ".sops.yaml").replace(PROD_RECIPIENT, `${PROD_RECIPIENT},${extra}`));
    const report = await check(root);
    expect(report.problems).toEqual([
      `${PROD_FILE}: not encrypted to recipient ${extra}, which .sops.yaml lists for this file; re-encrypt: sops updatekeys ${PROD_FILE}`,
    ]);
  });

  it("reports a key present in one environment only", async () => {
    const root = await tempRepo();
    await writeEncrypted(
      root,
      STAGING_FILE,
      withKey(samplePlain("staging"), "github.webhookSecret", "sample-staging-webhook"),
      [STAGING_RECIPIENT],
    );
    const report = await check(root);
    expect(report.problems).toEqual([
      `${PROD_FILE}: key github.webhookSecret: missing (present in ${STAGING_FILE})`,
    ]);
  });

  it("reports a key the construct reads that no file holds, once per file", async () => {
    const root = await tempRepo();
    await writeEncrypted(root, STAGING_FILE, withKey(samplePlain("staging"), "apns.keyId", undefined), [
      STAGING_RECIPIENT,
    ]);
    await writeEncrypted(root, PROD_FILE, withKey(samplePlain("prod"), "apns.keyId", undefined), [
      PROD_RECIPIENT,
    ]);
    const report = await check(root);
    expect(report.problems).toEqual([
      `${STAGING_FILE}: key apns.keyId: missing (the stack reads it as apnsKeyId)`,
      `${PROD_FILE}: key apns.keyId: missing (the stack reads it as apnsKeyId)`,
    ]);
  });

  it("reports a construct key in one file only once (as missing for the stack)", async () => {
    const root = await tempRepo();
    await writeEncrypted(root, PROD_FILE, withKey(samplePlain("prod"), "platform.key", undefined), [
      PROD_RECIPIENT,
    ]);
    const report = await check(root);
    expect(report.problems).toEqual([
      `${PROD_FILE}: key platform.key: missing (the stack reads it as betterAuthSecret)`,
    ]);
  });

  it("reports a decrypted copy left next to the encrypted files", async () => {
    const root = await tempRepo();
    write(root, "secrets/secrets.staging.yaml", "github:\n  issueToken: oops\n");
    const report = await check(root);
    expect(report.problems).toEqual([
      expect.stringMatching(
        /^secrets\/secrets\.staging\.yaml: unexpected file next to the encrypted secrets/,
      ),
    ]);
  });

  it("reports a MAC mismatch when a key is given", async () => {
    const root = await tempRepo();
    const text = read(root, PROD_FILE);
    const team = text.split("\n").find((l) => l.startsWith("    team:"))!;
    write(root, PROD_FILE, text.replace(`${team}\n`, ""));
    const withoutKey = await check(root);
    expect(withoutKey.problems).toEqual([
      `${PROD_FILE}: key apns.team: missing (the stack reads it as apnsTeam)`,
    ]);
    const withKey = await check(root, { identities: testIdentities() });
    expect(withKey.problems).toEqual([
      `${PROD_FILE}: key apns.team: missing (the stack reads it as apnsTeam)`,
      expect.stringMatching(new RegExp(`^${PROD_FILE}: MAC mismatch`)),
    ]);
  });

  it("reports a missing .sops.yaml", async () => {
    const root = await tempRepo();
    rmSync(join(root, ".sops.yaml"));
    const report = await check(root);
    expect(report.problems).toEqual([".sops.yaml: missing (the creation rules per environment)"]);
  });
});
