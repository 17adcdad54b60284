import { existsSync, readFileSync } from "node:fs";
import YAML, { isAlias, isMap, isNode, isScalar, isSeq, type Node as YamlNode } from "yaml";
import { SecretsError } from "./errors";

/**
 * The SOPS YAML format, read without any key: the data tree (key order preserved, it matters for the
 * MAC), the `sops:` metadata, and checks that need no decryption.
 */

/**
 * A YAML timestamp as sops 3.10+ reads it (an unquoted date or time: Go's time.Time, encrypted as
 * `type:time`); `text` is Go's MarshalText form (RFC 3339 with nanoseconds), which sops encrypts and hashes.
 */
export class SopsTime {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A leaf value; integers beyond 2^53 stay exact as bigint (sops hashes their decimal digits). */
export type SopsScalar = string | number | bigint | boolean | null | SopsTime;
/** A SOPS tree: maps keep their key order (a Map, so numeric-looking keys are not reordered). */
export type SopsValue = SopsScalar | SopsTree | SopsValue[];
export type SopsTree = Map<string, SopsValue>;

export interface AgeRecipientEntry {
  readonly recipient: string;
  /** The data key, encrypted to the recipient with age, ASCII-armored. */
  readonly enc: string;
}

export interface SopsMetadata {
  readonly age: readonly AgeRecipientEntry[];
  /** RFC 3339, as written; it is the additional data of the encrypted MAC. */
  readonly lastmodified: string;
  /** The encrypted MAC: ENC[AES256_GCM,...,type:str]. */
  readonly mac: string;
  readonly version: string;
  readonly unencryptedSuffix?: string;
  readonly encryptedSuffix?: string;
  readonly unencryptedRegex?: string;
  readonly encryptedRegex?: string;
  readonly macOnlyEncrypted: boolean;
}

export interface SopsDocument {
  /** The file as messages name it, e.g. secrets/secrets.staging.enc.yaml. */
  readonly label: string;
  readonly data: SopsTree;
  readonly metadata: SopsMetadata;
  /** Comments in the file, by the nearest key ("" outside any); sops encrypts them: plaintext ones are flagged. */
  readonly comments: readonly { readonly near: string; readonly text: string }[];
}

export interface Leaf {
  /** Map keys from the root: the additional data of the value is `path.join(":") + ":"`. */
  readonly path: readonly string[];
  /** Dotted key as the sops provider flattens it (list items by index), e.g. `apns.team`. */
  readonly key: string;
  readonly value: SopsScalar;
}

/** sops's value format (aes/cipher.go); the groups are standard base64 with padding. */
export const ENC_VALUE =
  /^ENC\[AES256_GCM,data:([A-Za-z0-9+/]*={0,2}),iv:([A-Za-z0-9+/]+={0,2}),tag:([A-Za-z0-9+/]+={0,2}),type:(str|int|int64|float|bool|bytes|time|comment)\]$/;

/** An X25519 age recipient: `age1` and 58 bech32 characters. */
export const AGE_RECIPIENT = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/;

const ARMOR =
  /^-----BEGIN AGE ENCRYPTED FILE-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END AGE ENCRYPTED FILE-----\s*$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Integers as bigint, so none beyond 2^53 loses digits (toValue narrows the safe ones to number). */
const YAML_OPTIONS = { intAsBigInt: true } as const;

/** Master key types other than age: this repository's rules use age only. */
const OTHER_KEY_TYPES = ["kms", "gcp_kms", "azure_kv", "hc_vault", "hckms", "pgp"];

/** Reads and parses a SOPS YAML file; throws SecretsError naming the file for every problem found. */
export function readSopsFile(path: string, label: string = path): SopsDocument {
  if (!existsSync(path)) {
    throw new SecretsError([`${label}: missing (expected a SOPS-encrypted YAML file)`]);
  }
  return parseSopsYaml(readFileSync(path, "utf8"), label);
}

/** Parses SOPS YAML text; throws SecretsError naming the file when it is not a complete SOPS file. */
export function parseSopsYaml(text: string, label: string): SopsDocument {
  const problems: string[] = [];
  if (text.trim() === "") throw new SecretsError([`${label}: empty (expected a SOPS-encrypted YAML file)`]);
  const docs = YAML.parseAllDocuments(text, YAML_OPTIONS);
  if (!Array.isArray(docs) || docs.length !== 1) {
    const count = Array.isArray(docs) ? docs.length : 0;
    throw new SecretsError([`${label}: expected one YAML document, found ${count}`]);
  }
  const doc = docs[0];
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const line = error.linePos ? ` (line ${error.linePos[0].line})` : "";
    throw new SecretsError([
      `${label}: not valid YAML${line}: ${error.message.split("\n")[0].replace(/:$/, "")}`,
    ]);
  }
  const root = doc.contents;
  if (!isMap(root)) throw new SecretsError([`${label}: expected a YAML mapping at the top level`]);

  const comments: { near: string; text: string }[] = [];
  const note = (near: string, text: string | null | undefined) => {
    if (text)
      for (const line of text.split("\n")) if (line.trim()) comments.push({ near, text: line.trim() });
  };
  note("", doc.commentBefore);
  note("", doc.comment);

  const data: SopsTree = new Map();
  let sopsNode: YamlNode | null = null;
  for (const pair of root.items) {
    const key = scalarKey(pair.key);
    if (key === undefined) {
      problems.push(`${label}: a top-level key is not a string; sops supports string keys only`);
      continue;
    }
    if (isScalar(pair.key)) {
      note(key, pair.key.commentBefore);
      note(key, pair.key.comment);
    }
    if (key === "sops") {
      sopsNode = pair.value as YamlNode | null;
      continue;
    }
    data.set(key, toValue(pair.value as YamlNode | null, [key], label, problems, comments));
  }
  if (!sopsNode) {
    problems.push(`${label}: no sops metadata (not encrypted with sops, or the file is truncated)`);
    throw new SecretsError(problems);
  }
  const metadata = toMetadata(sopsNode, label, problems);
  if (problems.length > 0 || !metadata) throw new SecretsError(problems);
  return { label, data, metadata, comments };
}

/**
 * A comment of a plaintext file, where sops keeps it (encrypted, `type:comment`): `branch` is the path
 * of the mapping sops files it under (the additional data of its encryption), `at` where it is written.
 */
export interface PlainComment {
  readonly branch: readonly string[];
  readonly at:
    | { readonly kind: "before-key" | "after-value"; readonly key: readonly string[] }
    | { readonly kind: "map-start" | "map-end"; readonly map: readonly string[] };
  /** One comment line without its `#` (sops stores `line[1:]`). */
  readonly text: string;
}

/** Parses a plaintext YAML mapping (the input of encryption) into a SOPS tree, keeping key order. */
export function parsePlainYaml(text: string, label: string): SopsTree {
  return parsePlainYamlWithComments(text, label).tree;
}

/**
 * Parses a plaintext YAML mapping with its comments, which sops keeps encrypted. Comments inside lists
 * are refused (sops files them by list position, which this encrypter does not reproduce).
 */
export function parsePlainYamlWithComments(
  text: string,
  label: string,
): { tree: SopsTree; comments: PlainComment[] } {
  const doc = YAML.parseDocument(text, YAML_OPTIONS);
  if (doc.errors.length > 0) {
    throw new SecretsError([
      `${label}: not valid YAML: ${doc.errors[0].message.split("\n")[0].replace(/:$/, "")}`,
    ]);
  }
  if (!isMap(doc.contents)) throw new SecretsError([`${label}: expected a YAML mapping at the top level`]);
  const problems: string[] = [];
  const comments: PlainComment[] = [];
  const add = (raw: string | null | undefined, branch: readonly string[], at: PlainComment["at"]) => {
    if (raw) for (const line of raw.split("\n")) if (line !== "") comments.push({ branch, at, text: line });
  };
  add(doc.commentBefore, [], { kind: "map-start", map: [] });
  add(doc.contents.commentBefore, [], { kind: "map-start", map: [] });
  const tree: SopsTree = new Map();
  for (const pair of doc.contents.items) {
    const key = scalarKey(pair.key);
    if (key === undefined) problems.push(`${label}: a top-level key is not a string`);
    else if (key === "sops") problems.push(`${label}: has a top-level sops key (already encrypted?)`);
    else {
      plainComments(pair, [], key, label, problems, add);
      tree.set(key, toValue(pair.value as YamlNode | null, [key], label, problems, []));
    }
  }
  add(doc.contents.comment, [], { kind: "map-end", map: [] });
  add(doc.comment, [], { kind: "map-end", map: [] });
  if (problems.length > 0) throw new SecretsError(problems);
  return { tree, comments };
}

/** The comments of one pair in the mapping at `path`, and of the mappings below it. */
function plainComments(
  pair: { key: unknown; value: unknown },
  path: readonly string[],
  key: string,
  label: string,
  problems: string[],
  add: (raw: string | null | undefined, branch: readonly string[], at: PlainComment["at"]) => void,
): void {
  const here = [...path, key];
  if (isScalar(pair.key)) {
    add(pair.key.commentBefore, path, { kind: "before-key", key: here });
    add(pair.key.comment, path, { kind: "after-value", key: here });
  }
  const value = pair.value;
  if (isMap(value)) {
    // Comments between `key:` and the first nested key belong to the nested mapping (sops: its branch).
    add(value.commentBefore, here, { kind: "map-start", map: here });
    for (const inner of value.items) {
      const innerKey = scalarKey(inner.key);
      if (innerKey !== undefined) plainComments(inner, here, innerKey, label, problems, add);
    }
    add(value.comment, here, { kind: "map-end", map: here });
  } else if (isSeq(value)) {
    const commented =
      value.commentBefore ||
      value.comment ||
      value.items.some((item) => isNode(item) && (item.commentBefore || item.comment));
    if (commented) {
      problems.push(
        `${label}: key ${here.join(".")}: comments inside a list are not supported by this encrypter; move them above ${here.join(".")} or use sops`,
      );
    }
  } else if (isScalar(value)) {
    add(value.commentBefore, path, { kind: "before-key", key: here });
    add(value.comment, path, { kind: "after-value", key: here });
  }
}

function scalarKey(node: unknown): string | undefined {
  if (isScalar(node) && typeof node.value === "string") return node.value;
  return undefined;
}

function toValue(
  node: YamlNode | null,
  path: readonly string[],
  label: string,
  problems: string[],
  comments: { near: string; text: string }[],
): SopsValue {
  const near = path.join(".");
  if (node === null || node === undefined) return null;
  if (isMap(node) || isSeq(node) || isScalar(node)) {
    for (const text of [node.commentBefore, node.comment]) {
      if (text)
        for (const line of text.split("\n")) if (line.trim()) comments.push({ near, text: line.trim() });
    }
  }
  if (isAlias(node)) {
    problems.push(`${label}: key ${near}: YAML aliases are not supported in SOPS files`);
    return null;
  }
  if (isMap(node)) {
    const tree: SopsTree = new Map();
    for (const pair of node.items) {
      const key = scalarKey(pair.key);
      if (key === undefined) {
        problems.push(
          `${label}: key ${near}: has a key that is not a string; sops supports string keys only`,
        );
        continue;
      }
      if (isScalar(pair.key)) {
        for (const text of [pair.key.commentBefore, pair.key.comment]) {
          if (text)
            for (const line of text.split("\n"))
              if (line.trim()) comments.push({ near: `${near}.${key}`, text: line.trim() });
        }
      }
      tree.set(key, toValue(pair.value as YamlNode | null, [...path, key], label, problems, comments));
    }
    return tree;
  }
  if (isSeq(node)) {
    return node.items.map((item) => toValue(item as YamlNode | null, path, label, problems, comments));
  }
  if (isScalar(node)) {
    const value = node.value;
    if (typeof value === "bigint") return integerValue(value, near, label, problems);
    if (typeof value === "string" && node.type === "PLAIN" && !node.tag) {
      const time = goTimestamp(value);
      if (time) return new SopsTime(time);
    }
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) return value as SopsScalar;
    problems.push(`${label}: key ${near}: unsupported YAML value type`);
    return null;
  }
  problems.push(`${label}: key ${near}: unsupported YAML node`);
  return null;
}

const INT64_MIN = -(2n ** 63n);
const UINT64_LIMIT = 2n ** 64n;

/**
 * A YAML integer as sops's YAML library decodes it: within int64 an int (hashed as its decimal digits,
 * so kept exact beyond 2^53), up to 2^64-1 a uint64 (which sops cannot encrypt), beyond a float64.
 */
function integerValue(value: bigint, near: string, label: string, problems: string[]): SopsScalar {
  if (value >= INT64_MIN && value < -INT64_MIN) {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  }
  if (value > 0n && value < UINT64_LIMIT) {
    problems.push(
      `${label}: key ${near}: integer ${value} is above 2^63-1; sops cannot encrypt it (quote it)`,
    );
    return null;
  }
  return Number(value);
}

/**
 * The timestamps go-yaml (v3, sops's YAML library) resolves for an unquoted scalar (resolve.go
 * allowedTimestampFormats: RFC 3339 with 1-2 digit fields and T or t; "date time" without a zone; a date),
 * as Go's time.MarshalText writes them; undefined when the text is not one (then it stays a string).
 */
export function goTimestamp(text: string): string | undefined {
  const match =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?))?$/.exec(
      text,
    );
  if (!match) return undefined;
  const [, y, mo, d] = match;
  const [h, mi, sec, fraction, zone] = match[4]
    ? [match[4], match[5], match[6], match[7], match[8]]
    : [match[9] ?? "0", match[10] ?? "0", match[11] ?? "0", match[12], "Z"];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)));
  const valid =
    date.getUTCMonth() === Number(mo) - 1 &&
    date.getUTCDate() === Number(d) &&
    Number(h) < 24 &&
    Number(mi) < 60 &&
    Number(sec) < 60 &&
    (zone === "Z" || (Number(zone.slice(1, 3)) < 24 && Number(zone.slice(4)) < 60));
  if (!valid) return undefined;
  return goTimeText(y, mo, d, h, mi, sec, fraction, zone);
}

/** Go's RFC3339Nano: two-digit fields, fraction without trailing zeros, a zero offset as Z. */
export function goTimeText(...fields: (string | undefined)[]): string {
  const [y, mo, d, h, mi, sec, fraction, zone] = fields;
  const two = (v: string | undefined) => (v ?? "0").padStart(2, "0");
  const frac = (fraction ?? "").replace(/0+$/, "");
  const offset = zone === undefined || /^(Z|z|[+-]00:00)$/.test(zone) ? "Z" : zone;
  return `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(sec)}${frac ? `.${frac}` : ""}${offset}`;
}

function toMetadata(node: YamlNode, label: string, problems: string[]): SopsMetadata | undefined {
  const raw: unknown = node.toJSON();
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    problems.push(`${label}: sops metadata is not a mapping`);
    return undefined;
  }
  const m = raw as Record<string, unknown>;
  const before = problems.length;
  const str = (field: string): string | undefined => {
    const value = m[field];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string") {
      problems.push(`${label}: sops.${field} is not a string`);
      return undefined;
    }
    return value;
  };

  if (m.key_groups !== undefined && m.key_groups !== null) {
    problems.push(
      `${label}: sops.key_groups is not supported here; use one flat list of age recipients (sops.age)`,
    );
  }
  for (const type of OTHER_KEY_TYPES) {
    if (Array.isArray(m[type]) && (m[type] as unknown[]).length > 0) {
      problems.push(`${label}: sops.${type}: only age recipients are supported here`);
    }
  }
  for (const field of ["unencrypted_comment_regex", "encrypted_comment_regex"]) {
    if (str(field)) problems.push(`${label}: sops.${field} is not supported here`);
  }

  const age: AgeRecipientEntry[] = [];
  if (!Array.isArray(m.age) || m.age.length === 0) {
    problems.push(`${label}: sops.age lists no recipients (file truncated, or not encrypted with age)`);
  } else {
    m.age.forEach((entry: unknown, i: number) => {
      const e = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
      const recipient = typeof e.recipient === "string" ? e.recipient.trim() : "";
      const enc = typeof e.enc === "string" ? e.enc : "";
      if (!AGE_RECIPIENT.test(recipient)) {
        problems.push(`${label}: sops.age[${i}].recipient is not an age X25519 recipient (age1...)`);
      } else if (!ARMOR.test(enc.trim() + "\n")) {
        problems.push(
          `${label}: sops.age[${i}].enc (recipient ${recipient}) is not a complete age armored block (truncated?)`,
        );
      }
      age.push({ recipient, enc });
    });
  }

  const lastmodified = str("lastmodified");
  if (!lastmodified) problems.push(`${label}: sops.lastmodified is missing (file truncated?)`);
  else if (!RFC3339.test(lastmodified)) problems.push(`${label}: sops.lastmodified is not an RFC 3339 time`);

  const mac = str("mac");
  if (!mac) problems.push(`${label}: sops.mac is missing (file truncated?)`);
  else if (!ENC_VALUE.test(mac)) problems.push(`${label}: sops.mac is not an encrypted value (truncated?)`);

  const version = str("version");
  if (!version) problems.push(`${label}: sops.version is missing (file truncated?)`);
  else if (!/^3\.\d+/.test(version)) problems.push(`${label}: sops.version ${version}: expected 3.x`);

  const macOnlyEncrypted = m.mac_only_encrypted === true;
  const result: SopsMetadata = {
    age,
    lastmodified: lastmodified ?? "",
    mac: mac ?? "",
    version: version ?? "",
    unencryptedSuffix: str("unencrypted_suffix"),
    encryptedSuffix: str("encrypted_suffix"),
    unencryptedRegex: str("unencrypted_regex"),
    encryptedRegex: str("encrypted_regex"),
    macOnlyEncrypted,
  };
  const rules = [
    result.unencryptedSuffix,
    result.encryptedSuffix,
    result.unencryptedRegex,
    result.encryptedRegex,
  ].filter(Boolean);
  if (rules.length > 1) {
    problems.push(
      `${label}: sops metadata sets more than one of unencrypted_suffix, encrypted_suffix, unencrypted_regex, encrypted_regex`,
    );
  }
  return problems.length > before ? undefined : result;
}

/** Whether a value is a map (a SopsTree); by tag, so a Map from another realm (structuredClone, a vm) counts. */
export function isTree(value: unknown): value is SopsTree {
  return Object.prototype.toString.call(value) === "[object Map]";
}

/** The leaves of a tree in document order (the order of sops's MAC). */
export function leaves(tree: SopsTree): Leaf[] {
  const out: Leaf[] = [];
  const walk = (value: SopsValue, path: string[], key: string) => {
    if (isTree(value)) {
      for (const [k, v] of value) walk(v, [...path, k], key ? `${key}.${k}` : k);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, path, `${key}.${i}`));
    } else {
      out.push({ path, key, value });
    }
  };
  walk(tree, [], "");
  return out;
}

/** Every dotted key of a tree, leaves and branches, with what it holds. */
export function flattenKeys(tree: SopsTree): Map<string, "value" | "map" | "list"> {
  const out = new Map<string, "value" | "map" | "list">();
  const walk = (value: SopsValue, key: string) => {
    if (key) out.set(key, isTree(value) ? "map" : Array.isArray(value) ? "list" : "value");
    if (isTree(value)) for (const [k, v] of value) walk(v, key ? `${key}.${k}` : k);
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${key}.${i}`));
  };
  walk(tree, "");
  return out;
}

/** Whether sops encrypts the value at this path, given the file's metadata (sops.go shouldBeEncrypted). */
export function shouldBeEncrypted(path: readonly string[], metadata: SopsMetadata): boolean {
  let encrypted = true;
  const suffix = metadata.unencryptedSuffix ?? (anyRule(metadata) ? undefined : "_unencrypted");
  if (suffix && path.some((p) => p.endsWith(suffix))) encrypted = false;
  if (metadata.encryptedSuffix) encrypted = path.some((p) => p.endsWith(metadata.encryptedSuffix!));
  if (metadata.unencryptedRegex) {
    const re = new RegExp(metadata.unencryptedRegex);
    if (path.some((p) => re.test(p))) encrypted = false;
  }
  if (metadata.encryptedRegex) {
    const re = new RegExp(metadata.encryptedRegex);
    encrypted = path.some((p) => re.test(p));
  }
  return encrypted;
}

function anyRule(m: SopsMetadata): boolean {
  return Boolean(m.unencryptedSuffix || m.encryptedSuffix || m.unencryptedRegex || m.encryptedRegex);
}

/**
 * Problems a reader can see without a key: plaintext values (never printed), malformed or empty values,
 * and plaintext comments. This repository keeps every value encrypted, so the `_unencrypted` suffix and
 * the other exceptions sops allows are reported too.
 */
export function valueProblems(doc: SopsDocument): string[] {
  const problems: string[] = [];
  const m = doc.metadata;
  if (m.encryptedSuffix || m.unencryptedRegex || m.encryptedRegex) {
    problems.push(
      `${doc.label}: sops metadata leaves some values unencrypted; every value here must be encrypted`,
    );
  }
  for (const leaf of leaves(doc.data)) {
    const where = `${doc.label}: key ${leaf.key}`;
    if (leaf.value === null) problems.push(`${where}: has no value`);
    else if (leaf.value === "") problems.push(`${where}: is empty`);
    else if (typeof leaf.value !== "string")
      problems.push(`${where}: is not encrypted (plaintext committed?)`);
    else if (ENC_VALUE.test(leaf.value)) continue;
    else if (leaf.value.startsWith("ENC["))
      problems.push(`${where}: malformed encrypted value (truncated or edited?)`);
    else problems.push(`${where}: is not encrypted (plaintext committed?)`);
  }
  for (const comment of doc.comments) {
    if (!ENC_VALUE.test(comment.text.replace(/^#\s*/, ""))) {
      const where = comment.near ? `near key ${comment.near}` : "outside the keys";
      problems.push(`${doc.label}: comment ${where}: is not encrypted (sops encrypts comments)`);
    }
  }
  return problems;
}
