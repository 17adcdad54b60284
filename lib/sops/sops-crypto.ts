import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
import YAML, { Scalar, isMap, isScalar } from "yaml";
import { loadAge, recipientOf } from "./age";
import { SecretsError } from "./errors";
import {
  ENC_VALUE,
  goTimeText,
  isTree,
  parsePlainYamlWithComments,
  parseSopsYaml,
  SopsTime,
  type PlainComment,
  shouldBeEncrypted,
  type SopsDocument,
  type SopsMetadata,
  type SopsScalar,
  type SopsTree,
  type SopsValue,
} from "./sops-file";

/**
 * SOPS encryption and decryption with age, on age-encryption and node:crypto, compatible with the sops
 * CLI (3.x) and the carlpett/sops provider:
 *  - a random 32-byte data key encrypts every value with AES-256-GCM (32-byte IV), the value's key path
 *    (`a:b:`) as additional data;
 *  - the data key is age-encrypted (armored) to each recipient;
 *  - the MAC is SHA-512 over the plaintext values in document order, upper-case hex, encrypted with the
 *    data key and `lastmodified` as additional data.
 * Decryption verifies the MAC (the sops-age package does not).
 */

/**
 * The sops version our files claim. They have the layout sops writes since 3.10.0 (empty key lists such
 * as `kms: []` omitted: stores/stores.go `omitempty`), may hold `type:time` values (3.10.0, aes/cipher.go)
 * and keep inline comments inline (3.13.0); checked against getsops/sops v3.13.2.
 */
export const SOPS_FORMAT_VERSION = "3.13.2";

const TAG_BYTES = 16;
const IV_BYTES = 32;

export interface EncryptOptions {
  /** Age recipients (age1...) the data key is encrypted to. */
  readonly recipients: readonly string[];
  /** Defaults to now. */
  readonly lastModified?: Date;
  /** A data key to reuse (32 bytes); defaults to a new random one. */
  readonly dataKey?: Buffer;
  /** Comments of the plaintext (parsePlainYamlWithComments): written encrypted, where they were, as sops does. */
  readonly comments?: readonly PlainComment[];
}

/** Encrypts plaintext YAML text, keeping its comments encrypted as sops does. */
export async function encryptSopsYaml(text: string, label: string, options: EncryptOptions): Promise<string> {
  const { tree, comments } = parsePlainYamlWithComments(text, label);
  return encryptSops(tree, { ...options, comments });
}

/** Encrypts a plaintext tree into the text of a SOPS YAML file. */
export async function encryptSops(plain: SopsTree, options: EncryptOptions): Promise<string> {
  if (plain.has("sops"))
    throw new SecretsError(["the input already has a top-level `sops` key (encrypted?)"]);
  if (options.recipients.length === 0) throw new SecretsError(["no age recipients to encrypt to"]);
  const dataKey = options.dataKey ?? randomBytes(32);
  if (dataKey.length !== 32) throw new Error("the data key must be 32 bytes");
  const lastmodified = formatRfc3339(options.lastModified ?? new Date());
  const metadata: SopsMetadata = {
    age: [],
    lastmodified,
    mac: "",
    version: SOPS_FORMAT_VERSION,
    unencryptedSuffix: "_unencrypted",
    macOnlyEncrypted: false,
  };

  const hash = createHash("sha512");
  const encryptNode = (value: SopsValue, path: string[]): SopsValue => {
    if (isTree(value)) {
      return new Map([...value].map(([k, v]) => [k, encryptNode(v, [...path, k])] as [string, SopsValue]));
    }
    if (Array.isArray(value)) return value.map((item) => encryptNode(item, path));
    if (value === null) return null;
    if (!(value instanceof SopsTime) && !["string", "number", "bigint", "boolean"].includes(typeof value)) {
      throw new SecretsError([`key ${path.join(".")}: unsupported value type (${typeof value})`]);
    }
    hash.update(toBytes(value));
    return shouldBeEncrypted(path, metadata) ? encryptValue(value, dataKey, aad(path)) : value;
  };
  const data = encryptNode(plain, []) as SopsTree;
  const mac = encryptValue(hash.digest("hex").toUpperCase(), dataKey, lastmodified);

  const age = loadAge();
  const entries: { recipient: string; enc: string }[] = [];
  for (const recipient of options.recipients) {
    const encrypter = new age.Encrypter();
    encrypter.addRecipient(recipient);
    const file = await encrypter.encrypt(Buffer.from(dataKey));
    entries.push({ recipient, enc: age.armor.encode(Buffer.from(file)) });
  }
  // Comments are encrypted like values, with their mapping's path as additional data, and not hashed
  // (sops.go Tree.Encrypt: "Only add to MAC if not a comment").
  const comments = (options.comments ?? []).map((c) => ({
    ...c,
    text: encryptComment(c.text, dataKey, aad(c.branch)),
  }));
  return emitYaml(data, { ...metadata, age: entries, mac }, comments);
}

/** A comment as sops encrypts it (aes/cipher.go, type comment); an empty one stays empty. */
export function encryptComment(text: string, key: Buffer, additionalData: string): string {
  return text === "" ? "" : sealValue(Buffer.from(text, "utf8"), "comment", key, additionalData);
}

export interface DecryptResult {
  readonly data: SopsTree;
  /** The recipient whose identity opened the data key. */
  readonly recipient: string;
}

/**
 * Decrypts a SOPS document with the given age identities and verifies its MAC. Returns undefined when
 * none of the identities belongs to a recipient of the file; throws SecretsError naming the file for a
 * value that fails authentication, a MAC mismatch, or a data key that does not decrypt.
 */
export async function decryptSops(
  doc: SopsDocument,
  identities: readonly string[],
): Promise<DecryptResult | undefined> {
  const opened = await decryptDataKey(doc, identities);
  if (!opened) return undefined;
  const { dataKey, recipient } = opened;
  const m = doc.metadata;
  const problems: string[] = [];
  const hash = createHash("sha512");
  const decryptNode = (value: SopsValue, path: string[], key: string): SopsValue => {
    if (isTree(value)) {
      return new Map(
        [...value].map(
          ([k, v]) => [k, decryptNode(v, [...path, k], key ? `${key}.${k}` : k)] as [string, SopsValue],
        ),
      );
    }
    if (Array.isArray(value)) return value.map((item, i) => decryptNode(item, path, `${key}.${i}`));
    if (value === null) return null;
    const encrypted = shouldBeEncrypted(path, m);
    let plain: SopsScalar = value;
    if (encrypted) {
      if (typeof value !== "string") {
        problems.push(`${doc.label}: key ${key}: is not encrypted`);
        return value;
      }
      try {
        plain = decryptValue(value, dataKey, aad(path));
      } catch (error) {
        problems.push(`${doc.label}: key ${key}: ${(error as Error).message}`);
        return value;
      }
    }
    if (plain !== null && (!m.macOnlyEncrypted || encrypted)) hash.update(toBytes(plain));
    return plain;
  };
  if (m.macOnlyEncrypted) hash.update(MAC_ONLY_ENCRYPTED_INIT);
  const data = decryptNode(doc.data, [], "") as SopsTree;
  if (problems.length > 0) throw new SecretsError(problems, "secrets do not decrypt");

  let storedMac: SopsScalar;
  try {
    storedMac = decryptValue(m.mac, dataKey, goRfc3339(m.lastmodified));
  } catch (error) {
    throw new SecretsError([`${doc.label}: sops.mac: ${(error as Error).message}`], "secrets do not decrypt");
  }
  const computed = hash.digest("hex").toUpperCase();
  if (typeof storedMac !== "string" || !sameText(storedMac, computed)) {
    throw new SecretsError(
      [`${doc.label}: MAC mismatch: the values, their keys or their order changed since sops wrote the file`],
      "secrets do not verify",
    );
  }
  return { data, recipient };
}

/** Parses SOPS YAML text and decrypts it (see decryptSops). */
export async function decryptSopsText(
  text: string,
  label: string,
  identities: readonly string[],
): Promise<DecryptResult | undefined> {
  return decryptSops(parseSopsYaml(text, label), identities);
}

/** The data key, opened by the first identity that belongs to one of the file's recipients. */
export async function decryptDataKey(
  doc: SopsDocument,
  identities: readonly string[],
): Promise<{ dataKey: Buffer; recipient: string } | undefined> {
  const age = loadAge();
  const byRecipient = new Map<string, string>();
  for (const identity of identities) byRecipient.set(await recipientOf(identity), identity);
  for (const entry of doc.metadata.age) {
    const identity = byRecipient.get(entry.recipient);
    if (!identity) continue;
    let dataKey: Buffer;
    try {
      const decrypter = new age.Decrypter();
      decrypter.addIdentity(identity);
      dataKey = Buffer.from(await decrypter.decrypt(Buffer.from(age.armor.decode(entry.enc))));
    } catch (error) {
      throw new SecretsError(
        [
          `${doc.label}: sops.age (recipient ${entry.recipient}): the data key does not decrypt: ${(error as Error).message}`,
        ],
        "secrets do not decrypt",
      );
    }
    if (dataKey.length !== 32) {
      throw new SecretsError(
        [`${doc.label}: sops.age (recipient ${entry.recipient}): the data key is not 32 bytes`],
        "secrets do not decrypt",
      );
    }
    return { dataKey, recipient: entry.recipient };
  }
  return undefined;
}

/** sops.go MACOnlyEncryptedInitialization: SHA-256 of "sops". */
const MAC_ONLY_ENCRYPTED_INIT = createHash("sha256").update("sops").digest();

function aad(path: readonly string[]): string {
  return `${path.join(":")}:`;
}

/** Encrypts one value as sops does (aes/cipher.go); the empty string stays empty, as in sops. */
export function encryptValue(value: Exclude<SopsScalar, null>, key: Buffer, additionalData: string): string {
  let type: string;
  if (typeof value === "string") {
    if (value === "") return "";
    type = "str";
  } else if (typeof value === "boolean") type = "bool";
  else if (value instanceof SopsTime) type = "time";
  else if (typeof value === "bigint") type = "int";
  else type = Number.isInteger(value) ? "int" : "float";
  return sealValue(toBytes(value), type, key, additionalData);
}

function sealValue(plain: Buffer, type: string, key: Buffer, additionalData: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(additionalData, "utf8"));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `ENC[AES256_GCM,data:${data.toString("base64")},iv:${iv.toString("base64")},tag:${tag.toString("base64")},type:${type}]`;
}

/** Decrypts one sops value; throws when it is malformed or fails authentication. */
export function decryptValue(value: string, key: Buffer, additionalData: string): SopsScalar {
  if (value === "") return "";
  const match = ENC_VALUE.exec(value);
  if (!match) throw new Error("malformed encrypted value (truncated or edited?)");
  const [, data, iv, tag, type] = match;
  const tagBytes = Buffer.from(tag, "base64");
  if (tagBytes.length !== TAG_BYTES) throw new Error("malformed encrypted value (bad tag length)");
  let plain: Buffer;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(additionalData, "utf8"));
    decipher.setAuthTag(tagBytes);
    plain = Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]);
  } catch {
    throw new Error("fails authentication (tampered, moved to another key, or another file's data key)");
  }
  const text = plain.toString("utf8");
  switch (type) {
    case "str":
    case "bytes":
    case "comment":
      return text;
    case "int":
    case "int64": {
      // strconv.Atoi: decimal, optional sign, int64 range; hashed again as its canonical digits.
      if (!/^[-+]?\d+$/.test(text)) throw new Error(`not an int`);
      const int = BigInt(text.replace(/^\+/, ""));
      if (int < -(2n ** 63n) || int >= 2n ** 63n) throw new Error("not an int (outside int64)");
      return Number.isSafeInteger(Number(int)) ? Number(int) : int;
    }
    case "time": {
      // time.UnmarshalText (RFC 3339), then MarshalText when hashed.
      const match =
        /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/.exec(
          text,
        );
      if (!match) throw new Error("not an RFC 3339 time");
      return new SopsTime(goTimeText(...match.slice(1)));
    }
    case "float": {
      const n = parseGoFloat(text);
      if (Number.isNaN(n) && text !== "NaN") throw new Error("not a float");
      return n;
    }
    case "bool":
      if (["1", "t", "T", "TRUE", "true", "True"].includes(text)) return true;
      if (["0", "f", "F", "FALSE", "false", "False"].includes(text)) return false;
      throw new Error("not a bool");
    default:
      throw new Error(`unsupported type ${type}`);
  }
}

/** The bytes sops hashes and encrypts for a value (sops.go ToBytes). */
function toBytes(value: Exclude<SopsScalar, null>): Buffer {
  if (typeof value === "string") return Buffer.from(value, "utf8");
  if (typeof value === "boolean") return Buffer.from(value ? "True" : "False");
  if (value instanceof SopsTime) return Buffer.from(value.text);
  if (typeof value === "bigint") return Buffer.from(value.toString());
  return Buffer.from(Number.isInteger(value) ? integerText(value) : formatGoFloat(value));
}

function integerText(value: number): string {
  return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
}

/** strconv.FormatFloat(x, 'f', -1, 64): the shortest representation, never an exponent. */
export function formatGoFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  const text = String(x);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, fraction = "", exp] = match;
  const digits = lead + fraction;
  const point = 1 + Number(exp);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function parseGoFloat(text: string): number {
  if (text === "+Inf" || text === "Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  return Number(text);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * lastmodified as sops authenticates it: parsed, then formatted with Go's time.RFC3339, which drops
 * fractional seconds and writes a zero offset as Z.
 */
function goRfc3339(text: string): string {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!match) return text;
  return `${match[1]}${/^[+-]00:00$/.test(match[2]) ? "Z" : match[2]}`;
}

/** RFC 3339 in UTC without fractional seconds, as sops writes lastmodified. */
export function formatRfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Emits a SOPS YAML file the way sops 3.10+ does: 4-space indentation, metadata last, armored keys as blocks. */
function emitYaml(data: SopsTree, metadata: SopsMetadata, comments: readonly PlainComment[] = []): string {
  const sops = new Map<string, unknown>([
    [
      "age",
      metadata.age.map(
        (e) =>
          new Map([
            ["recipient", e.recipient],
            ["enc", e.enc],
          ]),
      ),
    ],
    ["lastmodified", metadata.lastmodified],
    ["mac", metadata.mac],
    ["unencrypted_suffix", metadata.unencryptedSuffix],
    ["version", metadata.version],
  ]);
  const doc = new YAML.Document(new Map<string, unknown>([...data, ["sops", sops]]));
  YAML.visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || !isScalar(pair.value)) return;
      if (pair.key.value === "enc") pair.value.type = Scalar.BLOCK_LITERAL;
      if (pair.key.value === "lastmodified") pair.value.type = Scalar.QUOTE_DOUBLE;
    },
  });
  if (!isMap(doc.contents)) throw new Error("unreachable: the document is a map");
  const root = doc.contents;
  const append = (
    node: { commentBefore?: string | null; comment?: string | null },
    field: "commentBefore" | "comment",
    text: string,
  ) => {
    node[field] = node[field] ? `${node[field]}\n${text}` : text;
  };
  const pairAt = (key: readonly string[]) => {
    const parent = key.length === 1 ? root : doc.getIn(key.slice(0, -1), true);
    if (!isMap(parent)) return undefined;
    return parent.items.find((p) => isScalar(p.key) && p.key.value === key[key.length - 1]);
  };
  const sopsKey = root.items.find((p) => isScalar(p.key) && p.key.value === "sops")!.key as Scalar;
  for (const c of comments) {
    const at = c.at;
    if ("map" in at) {
      // The end of the data, before the metadata, which sops writes last.
      if (at.map.length === 0) append(at.kind === "map-start" ? doc : sopsKey, "commentBefore", c.text);
      else {
        const map = doc.getIn(at.map, true);
        if (isMap(map)) append(map, at.kind === "map-start" ? "commentBefore" : "comment", c.text);
      }
    } else {
      const pair = pairAt(at.key);
      if (!pair || !isScalar(pair.key)) continue;
      if (at.kind === "before-key") append(pair.key, "commentBefore", c.text);
      else if (isScalar(pair.value)) append(pair.value, "comment", c.text);
      else append(pair.key, "comment", c.text);
    }
  }
  return doc.toString({ indent: 4, indentSeq: true, lineWidth: 0, minContentWidth: 0 });
}
