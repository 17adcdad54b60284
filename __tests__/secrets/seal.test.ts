import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadAge, parseIdentities, recipientOf } from "../../lib/sops/age";
import { sealForEnvironment } from "../../lib/sops/seal";
import { parseSopsConfig, readSopsConfig } from "../../lib/sops/sops-config";
import { environments } from "../helpers/environments";

/** errored.tfstate kept only encrypted, to the environment's own age recipients. */

const ROOT = resolve(__dirname, "../..");
const secretsFiles = Object.fromEntries(Object.entries(environments()).map(([n, c]) => [n, c.secretsFile]));
const sampleIdentities = parseIdentities(
  readFileSync(join(ROOT, "__tests__/fixtures/sops/TEST-KEYS.sample-secrets.txt"), "utf8"),
  "sample keys",
);
const STATE = '{"version":4,"resources":[{"instances":[{"attributes":{"api_key":"PLAINTEXT-SECRET"}}]}]}';

async function identityFor(environment: string): Promise<string> {
  const rules = readSopsConfig(ROOT);
  const recipients = rules.find((r) =>
    new RegExp(r.pathRegex).test(secretsFiles[environment]),
  )!.ageRecipients;
  for (const identity of sampleIdentities)
    if (recipients.includes(await recipientOf(identity))) return identity;
  throw new Error(`no sample identity for ${environment}`);
}

test.each(Object.keys(secretsFiles))(
  "%s: only that environment's key decrypts it, and the plaintext is not in the output",
  async (environment) => {
    const sealed = await sealForEnvironment(
      Buffer.from(STATE),
      environment,
      secretsFiles,
      readSopsConfig(ROOT),
    );
    expect(sealed).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/);
    expect(sealed).not.toContain("PLAINTEXT-SECRET");
    const age = loadAge();
    const own = new age.Decrypter();
    own.addIdentity(await identityFor(environment));
    expect(Buffer.from(await own.decrypt(age.armor.decode(sealed))).toString("utf8")).toBe(STATE);
    for (const other of Object.keys(secretsFiles).filter((e) => e !== environment)) {
      const wrong = new age.Decrypter();
      wrong.addIdentity(await identityFor(other));
      await expect(wrong.decrypt(age.armor.decode(sealed))).rejects.toThrow();
    }
  },
);

test("an unknown environment or a secrets file without a rule: one line", async () => {
  const rules = readSopsConfig(ROOT);
  await expect(sealForEnvironment(Buffer.from("x"), "prod", secretsFiles, rules)).rejects.toThrow(
    /^unknown environment "prod"; expected one of /,
  );
  const noRule = parseSopsConfig(
    "creation_rules:\n  - path_regex: ^other\\.yaml$\n    age: " +
      (await recipientOf(sampleIdentities[0])) +
      "\n",
  );
  await expect(sealForEnvironment(Buffer.from("x"), "staging", secretsFiles, noRule)).rejects.toThrow(
    `.sops.yaml: no rule with age recipients for ${secretsFiles.staging} (staging's secrets file)`,
  );
});
