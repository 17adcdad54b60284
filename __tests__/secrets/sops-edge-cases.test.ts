import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadAge } from "../../lib/sops/age";
import { SecretsError } from "../../lib/sops/errors";
import {
  SOPS_FORMAT_VERSION,
  decryptSopsText,
  decryptValue,
  encryptSopsYaml,
} from "../../lib/sops/sops-crypto";
import {
  SopsTime,
  goTimestamp,
  parsePlainYamlWithComments,
  parseSopsYaml,
  valueProblems,
} from "../../lib/sops/sops-file";
import { FIXTURES, REPO_ROOT, STAGING_RECIPIENT, environments, testIdentities } from "./helpers";

/**
 * Cases checked against sops's own code (getsops/sops v3.13.2): aes/cipher.go (types, comments),
 * sops.go (Tree.Encrypt: the MAC, ToBytes), stores/yaml/store.go (comments), stores/stores.go (layout).
 */
const identities = testIdentities();
const EDGE = join(FIXTURES, "edge-cases.plain.yaml");

/** One value as aes/cipher.go Encrypt writes it, built here with node:crypto alone. */
function sopsValue(plain: string, type: string, key: Buffer, additionalData: string): string {
  const iv = randomBytes(32);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(additionalData));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const b64 = (b: Buffer) => b.toString("base64");
  return `ENC[AES256_GCM,data:${b64(data)},iv:${b64(iv)},tag:${b64(cipher.getAuthTag())},type:${type}]`;
}

/**
 * A SOPS file as sops 3.10+ writes it for `leaves` (key, the text sops encrypts, its type), encrypted to
 * the staging test recipient: the MAC is SHA-512 over the same texts (sops.go ToBytes), upper-case hex.
 */
async function sopsFile(leaves: [string, string, string][]): Promise<string> {
  const key = randomBytes(32);
  const lastmodified = "2026-01-02T03:04:05Z";
  const mac = createHash("sha512");
  const lines = leaves.map(([name, plain, type]) => {
    mac.update(plain);
    return `${name}: ${sopsValue(plain, type, key, `${name}:`)}`;
  });
  const age = loadAge();
  const encrypter = new age.Encrypter();
  encrypter.addRecipient(STAGING_RECIPIENT);
  const armored = age.armor.encode(await encrypter.encrypt(key));
  return [
    ...lines,
    "sops:",
    "    age:",
    `        - recipient: ${STAGING_RECIPIENT}`,
    "          enc: |",
    ...armored
      .trimEnd()
      .split("\n")
      .map((l) => `            ${l}`),
    `    lastmodified: "${lastmodified}"`,
    `    mac: ${sopsValue(mac.digest("hex").toUpperCase(), "str", key, lastmodified)}`,
    "    unencrypted_suffix: _unencrypted",
    "    version: 3.10.2",
    "",
  ].join("\n");
}

describe("type:time (sops 3.10+ encrypts YAML dates and timestamps as time.Time)", () => {
  it("accepts the values and verifies the MAC over their MarshalText form", async () => {
    const text = await sopsFile([
      ["when", "2025-01-02T03:04:05Z", "time"],
      ["precise", "2025-01-02T03:04:05.5+02:00", "time"],
    ]);
    const doc = parseSopsYaml(text, "time.enc.yaml");
    expect(valueProblems(doc)).toEqual([]);
    const result = await decryptSopsText(text, "time.enc.yaml", identities);
    expect(result?.data.get("when")).toEqual(new SopsTime("2025-01-02T03:04:05Z"));
    expect(String(result?.data.get("precise"))).toBe("2025-01-02T03:04:05.5+02:00");
  });

  it.each([
    ["2025-01-02", "2025-01-02T00:00:00Z"],
    ["2025-1-2 03:04:05.500", "2025-01-02T03:04:05.5Z"],
    ["2025-01-02T03:04:05+02:00", "2025-01-02T03:04:05+02:00"],
    ["2025-01-02t03:04:05.000000001-00:00", "2025-01-02T03:04:05.000000001Z"],
  ])("reads the unquoted YAML %s as the time %s, as go-yaml and Go's MarshalText do", (yaml, text) => {
    expect(goTimestamp(yaml)).toBe(text);
  });

  it.each(["2025-02-30", "2025-01-02T25:00:00Z", "25-01-02", "2025-01-02 03:04:05Z", "today"])(
    "keeps %s a string (not a time go-yaml accepts)",
    (yaml) => expect(goTimestamp(yaml)).toBeUndefined(),
  );
});

describe("integers beyond 2^53", () => {
  it("verify the MAC over their exact digits (no false mismatch)", async () => {
    const text = await sopsFile([
      ["big", "9007199254740993", "int"],
      ["min", "-9223372036854775808", "int"],
    ]);
    const result = await decryptSopsText(text, "big.enc.yaml", identities);
    expect(result?.data.get("big")).toBe(9007199254740993n);
    expect(result?.data.get("min")).toBe(-9223372036854775808n);
  });

  it("are encrypted with their exact digits, and above int64 refused as sops refuses a uint64", async () => {
    const encrypted = await encryptSopsYaml(readFileSync(EDGE, "utf8"), EDGE, {
      recipients: [STAGING_RECIPIENT],
    });
    const nested = (await decryptSopsText(encrypted, "edge", identities))?.data.get("nested") as Map<
      string,
      unknown
    >;
    expect(nested.get("big")).toBe(9007199254740993n);
    expect(nested.get("negativeBig")).toBe(-9223372036854775808n);
    expect(() => parsePlainYamlWithComments("n: 9223372036854775808\n", "u.yaml")).toThrow(
      "u.yaml: key n: integer 9223372036854775808 is above 2^63-1; sops cannot encrypt it (quote it)",
    );
  });
});

describe("the encrypter on the edge-case fixture", () => {
  const dataKey = randomBytes(32);
  let encrypted: string;
  beforeAll(async () => {
    encrypted = await encryptSopsYaml(readFileSync(EDGE, "utf8"), EDGE, {
      recipients: [STAGING_RECIPIENT],
      dataKey,
    });
  });

  it("writes unquoted dates and timestamps as type:time, quoted ones and invalid dates as strings", async () => {
    expect(encrypted).toMatch(/^ {4}day: ENC\[.*,type:time\]$/m);
    expect(encrypted).toMatch(/^ {4}quotedDay: ENC\[.*,type:str\]$/m);
    expect(encrypted).toMatch(/^ {4}notADay: ENC\[.*,type:str\]$/m);
    const nested = (await decryptSopsText(encrypted, "edge", identities))?.data.get("nested") as Map<
      string,
      unknown
    >;
    expect(String(nested.get("day"))).toBe("2025-01-02T00:00:00Z");
    expect(String(nested.get("spaced"))).toBe("2025-01-02T03:04:05.5Z");
    expect(String(nested.get("offset"))).toBe("2025-01-02T03:04:05+02:00");
    expect(String(nested.get("zeroOffset"))).toBe("2025-01-02T03:04:05.000000001Z");
    expect(nested.get("quotedDay")).toBe("2025-01-02");
  });

  it("keeps every comment, encrypted with its mapping's path as sops does, and none in plaintext", () => {
    const plain = readFileSync(EDGE, "utf8");
    const comments = [...plain.matchAll(/#(.*)$/gm)].map((m) => m[1]);
    expect(comments).toHaveLength(5);
    for (const c of comments) expect(encrypted).not.toContain(c.trim());
    const written = [...encrypted.matchAll(/#(ENC\[[^\]]+,type:comment\])/g)].map((m) => m[1]);
    expect(written).toHaveLength(5);
    expect(valueProblems(parseSopsYaml(encrypted, "edge"))).toEqual([]);
    // sops.go walkBranch: a comment is encrypted with the path of the mapping holding it.
    const branches = [":", ":", ":", "nested:", ":"];
    expect(written.map((value, i) => decryptValue(value, dataKey, branches[i]))).toEqual(comments);
  });

  it("claims a sops version of the layout it writes (3.10+: no empty key lists)", () => {
    const version = /^ {4}version: (\S+)$/m.exec(encrypted)?.[1];
    expect(version).toBe(SOPS_FORMAT_VERSION);
    const [major, minor] = SOPS_FORMAT_VERSION.split(".").map(Number);
    expect(major === 3 && minor >= 10).toBe(true);
    expect(encrypted).not.toMatch(/^ {4}(kms|gcp_kms|azure_kv|hc_vault|pgp): \[\]$/m);
  });

  it("refuses comments inside a list, naming the key", () => {
    expect(() => parsePlainYamlWithComments("hosts:\n  - a # first\n  - b\n", "list.yaml")).toThrow(
      SecretsError,
    );
    expect(() => parsePlainYamlWithComments("hosts:\n  - a # first\n  - b\n", "list.yaml")).toThrow(
      /list\.yaml: key hosts: comments inside a list are not supported by this encrypter/,
    );
  });
});

test("the committed SOPS files claim a 3.10+ version, matching their layout", () => {
  for (const config of Object.values(environments())) {
    const doc = parseSopsYaml(readFileSync(join(REPO_ROOT, config.secretsFile), "utf8"), config.secretsFile);
    const [major, minor] = doc.metadata.version.split(".").map(Number);
    expect([config.secretsFile, major === 3 && minor >= 10]).toEqual([config.secretsFile, true]);
  }
});
