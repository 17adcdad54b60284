import { existsSync, readFileSync } from "node:fs";
import YAML, { isAlias, isMap, isScalar, isSeq, type Node as YamlNode } from "yaml";
import { SecretsError } from "./errors";

/**
 * The SOPS YAML format, read without any key: the data tree (key order preserved, it matters for the
 * MAC), the `sops:` metadata, and checks that need no decryption.
 */

export type SopsScalar = string | number | boolean | null;
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
  /^ENC\[AES256_GCM,data:([A-Za-z0-9+/]*={0,2}),iv:([A-Za-z0-9+/]+={0,2}),tag:([A-Za-z0-9+/]+={0,2}),type:(str|int|int64|float|bool|bytes|comment)\]$/;

/** An X25519 age recipient: `age1` and 58 bech32 characters. */
export const AGE_RECIPIENT = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/;

const ARMOR =
  /^-----BEGIN AGE ENCRYPTED FILE-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END AGE ENCRYPTED FILE-----\s*$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

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
  const docs = YAML.parseAllDocuments(text);
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

/** Parses a plaintext YAML mapping (the input of encryption) into a SOPS tree, keeping key order. */
export function parsePlainYaml(text: string, label: string): SopsTree {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) {
    throw new SecretsError([
      `${label}: not valid YAML: ${doc.errors[0].message.split("\n")[0].replace(/:$/, "")}`,
    ]);
  }
  if (!isMap(doc.contents)) throw new SecretsError([`${label}: expected a YAML mapping at the top level`]);
  const problems: string[] = [];
  const tree: SopsTree = new Map();
  for (const pair of doc.contents.items) {
    const key = scalarKey(pair.key);
    if (key === undefined) problems.push(`${label}: a top-level key is not a string`);
    else if (key === "sops") problems.push(`${label}: has a top-level sops key (already encrypted?)`);
    else tree.set(key, toValue(pair.value as YamlNode | null, [key], label, problems, []));
  }
  if (problems.length > 0) throw new SecretsError(problems);
  return tree;
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
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) return value as SopsScalar;
    problems.push(`${label}: key ${near}: unsupported YAML value type`);
    return null;
  }
  problems.push(`${label}: key ${near}: unsupported YAML node`);
  return null;
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
