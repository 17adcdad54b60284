import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decryptSops as sopsAgeDecrypt } from "sops-age";
import { loadAge } from "../../lib/sops/age";
import { SecretsError } from "../../lib/sops/errors";
import {
  decryptDataKey,
  decryptSopsText,
  encryptSops,
  encryptValue,
  formatGoFloat,
} from "../../lib/sops/sops-crypto";
import { parsePlainYaml, parseSopsYaml, type SopsTree } from "../../lib/sops/sops-file";
import {
  PROD_FILE,
  PROD_RECIPIENT,
  REPO_ROOT,
  STAGING_FILE,
  STAGING_RECIPIENT,
  SAMPLES_COMMITTED,
  samplePlain,
  sampleTexts,
  testIdentities,
  toPlain,
} from "./helpers";

const identities = testIdentities();
const stagingKey = identities[0];

const nested: SopsTree = parsePlainYaml(
  [
    "github:",
    "  issueToken: token-1",
    "deep:",
    "  er:",
    "    est: three levels",
    "    unicode: héllo wörld ✓",
    "  multiline: |",
    "    -----BEGIN SAMPLE-----",
    "    line two",
    "    -----END SAMPLE-----",
    "list:",
    "  - a",
    "  - b",
    "  - inList: c",
    "count: 42",
    "ratio: 0.25",
    "enabled: true",
  ].join("\n"),
  "nested.yaml",
);

async function encryptedSample(): Promise<string> {
  return (await sampleTexts()).staging;
}

describe("SOPS encryption", () => {
  it("writes nested maps, lists and typed values that sops-age decrypts to the same values", async () => {
    const text = await encryptSops(nested, { recipients: [STAGING_RECIPIENT] });
    expect(text).toMatch(/^ {4}issueToken: ENC\[AES256_GCM,data:[^,]+,iv:[^,]+,tag:[^,]+,type:str\]$/m);
    expect(text).toMatch(/^ {4}version: 3\.\d+\.\d+$/m);
    expect(text).toMatch(/^ {4}unencrypted_suffix: _unencrypted$/m);
    expect(text).toMatch(/^ {4}lastmodified: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"$/m);
    expect(text).toContain("-----BEGIN AGE ENCRYPTED FILE-----");
    expect(text).not.toContain("token-1");

    const independent = await sopsAgeDecrypt(text, { secretKey: stagingKey, fileType: "yaml" });
    expect(independent).toEqual(toPlain(nested));

    const ours = await decryptSopsText(text, "nested.enc.yaml", [stagingKey]);
    expect(ours?.data).toEqual(nested);
    expect([...ours!.data.keys()]).toEqual([...nested.keys()]);
  });

  it("encrypts the data key to every recipient, each able to decrypt alone", async () => {
    const text = await encryptSops(nested, { recipients: [STAGING_RECIPIENT, PROD_RECIPIENT] });
    for (const key of identities) {
      const result = await decryptSopsText(text, "two.enc.yaml", [key]);
      expect(result?.data).toEqual(nested);
      expect(await sopsAgeDecrypt(text, { secretKey: key, fileType: "yaml" })).toEqual(toPlain(nested));
    }
  });

  it("keeps keys in file order, numeric-looking ones included (the MAC covers the order)", async () => {
    // sops-age cannot decrypt this one: it reads "2" as a list index in the authenticated key path.
    const tree: SopsTree = new Map([
      ["b", "first"],
      ["2", "second"],
      ["a", "third"],
    ]);
    const text = await encryptSops(tree, { recipients: [STAGING_RECIPIENT] });
    const result = await decryptSopsText(text, "order.enc.yaml", [stagingKey]);
    expect([...result!.data.keys()]).toEqual(["b", "2", "a"]);
  });

  it("formats floats as Go's strconv.FormatFloat(x, 'f', -1, 64) for the MAC", () => {
    expect(formatGoFloat(3.14)).toBe("3.14");
    expect(formatGoFloat(1e21)).toBe("1000000000000000000000");
    expect(formatGoFloat(1.5e-7)).toBe("0.00000015");
    expect(formatGoFloat(-2.5e22)).toBe("-25000000000000000000000");
    expect(formatGoFloat(Infinity)).toBe("+Inf");
  });
});

describe("the committed sample files", () => {
  const each = SAMPLES_COMMITTED ? it.each : it.skip.each;

  each([
    ["staging", STAGING_FILE],
    ["prod", PROD_FILE],
  ] as const)("%s decrypts with its test key via sops-age to the fixture values", async (env, file) => {
    const text = readFileSync(join(REPO_ROOT, file), "utf8");
    const secretKey = identities[env === "staging" ? 0 : 1];
    const values = await sopsAgeDecrypt(text, { secretKey, fileType: "yaml" });
    expect(values).toEqual(toPlain(samplePlain(env)));
  });

  each([
    ["staging", STAGING_FILE, STAGING_RECIPIENT],
    ["prod", PROD_FILE, PROD_RECIPIENT],
  ] as const)("%s passes our MAC verification", async (env, file, recipient) => {
    const result = await decryptSopsText(readFileSync(join(REPO_ROOT, file), "utf8"), file, identities);
    expect(result?.recipient).toBe(recipient);
    expect(result?.data).toEqual(samplePlain(env));
  });

  it("opens each file only with its own environment's key", async () => {
    const prodKey = identities[1];
    const text = await encryptedSample();
    expect(await decryptSopsText(text, STAGING_FILE, [prodKey])).toBeUndefined();
  });
});

describe("MAC verification and tampering", () => {
  const line = (text: string, key: string) => text.split("\n").find((l) => l.trim().startsWith(`${key}:`))!;

  it("rejects a tampered value, naming the file and the key", async () => {
    const text = await encryptedSample();
    const original = line(text, "issueToken");
    const tampered = original.replace(/data:(.)/, (_, c: string) => `data:${c === "A" ? "B" : "A"}`);
    await expect(decryptSopsText(text.replace(original, tampered), STAGING_FILE, identities)).rejects.toThrow(
      `${STAGING_FILE}: key github.issueToken: fails authentication`,
    );
  });

  it("rejects a value moved to another key (its key path is authenticated)", async () => {
    const text = await encryptedSample();
    const team = line(text, "team");
    const keyId = line(text, "keyId");
    const swapped = text
      .replace(team, team.replace(/ENC\[.*$/, keyId.split(": ")[1]))
      .replace(keyId, keyId.replace(/ENC\[.*$/, team.split(": ")[1]));
    await expect(decryptSopsText(swapped, STAGING_FILE, identities)).rejects.toThrow(
      /secrets\.staging\.enc\.yaml: key apns\.team: fails authentication/,
    );
  });

  it("rejects a value re-encrypted with the data key but not covered by the MAC", async () => {
    const text = await encryptedSample();
    const { dataKey } = (await decryptDataKey(parseSopsYaml(text, STAGING_FILE), identities))!;
    const original = line(text, "issueToken");
    const forged = `    issueToken: ${encryptValue("attacker-token", dataKey, "github:issueToken:")}`;
    const error = await decryptSopsText(text.replace(original, forged), STAGING_FILE, identities).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SecretsError);
    expect((error as SecretsError).problems).toEqual([
      expect.stringMatching(/^secrets\/secrets\.staging\.enc\.yaml: MAC mismatch/),
    ]);
  });

  it("rejects a removed key through the MAC", async () => {
    const text = await encryptedSample();
    await expect(
      decryptSopsText(text.replace(`${line(text, "team")}\n`, ""), STAGING_FILE, identities),
    ).rejects.toThrow(`${STAGING_FILE}: MAC mismatch`);
  });

  it("authenticates lastmodified as sops does (Go's RFC 3339: no fraction, zero offset as Z)", async () => {
    const text = await encryptedSample();
    const rewritten = text.replace(/lastmodified: "(.*)Z"/, 'lastmodified: "$1.250+00:00"');
    expect(rewritten).not.toBe(text);
    expect(await decryptSopsText(rewritten, STAGING_FILE, identities)).toBeDefined();
    const moved = text.replace(
      /lastmodified: "(\d{4})/,
      (_, year: string) => `lastmodified: "${Number(year) - 1}`,
    );
    await expect(decryptSopsText(moved, STAGING_FILE, identities)).rejects.toThrow(
      `${STAGING_FILE}: sops.mac: fails authentication`,
    );
  });

  it("rejects a file truncated anywhere, naming the file", async () => {
    const text = await encryptedSample();
    for (const fraction of [0.3, 0.6, 0.8, 0.9, 0.97]) {
      const truncated = text.slice(0, Math.floor(text.length * fraction));
      const error = await decryptSopsText(truncated, STAGING_FILE, identities).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretsError);
      expect((error as SecretsError).message).toContain(STAGING_FILE);
    }
    const noMetadata = text.slice(0, text.indexOf("sops:"));
    await expect(decryptSopsText(noMetadata, STAGING_FILE, identities)).rejects.toThrow(
      `${STAGING_FILE}: no sops metadata (not encrypted with sops, or the file is truncated)`,
    );
  });

  it("rejects a data key that does not decrypt", async () => {
    const text = await encryptedSample();
    const age = loadAge();
    const encrypter = new age.Encrypter();
    encrypter.addRecipient(STAGING_RECIPIENT);
    const shortKey = age.armor.encode(Buffer.from(await encrypter.encrypt(Buffer.alloc(16))));
    const enc = /enc: \|\n((?: {14}.*\n)+)/.exec(text)!;
    const replaced = text.replace(enc[1], shortKey.replace(/^/gm, " ".repeat(14)).replace(/ +$/, ""));
    await expect(decryptSopsText(replaced, STAGING_FILE, identities)).rejects.toThrow(
      `${STAGING_FILE}: sops.age (recipient ${STAGING_RECIPIENT}): the data key is not 32 bytes`,
    );
  });
});
