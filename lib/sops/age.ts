import type * as AgeModule from "age-encryption";

export type Age = typeof AgeModule;

let loaded: Age | undefined;

/**
 * The age-encryption module. It is ESM-only; Node >= 20.19 can require() it, but jest's CommonJS
 * module registry cannot (it would need to transform node_modules), so it is loaded through Node's own
 * loader. Values it returns come from Node's realm: callers pass and keep Buffers.
 */
export function loadAge(): Age {
  if (!loaded) {
    const nodeModule = process.getBuiltinModule("node:module");
    loaded = nodeModule.createRequire(__filename)("age-encryption") as Age;
  }
  return loaded;
}

/** The age identities (AGE-SECRET-KEY-1...) in a key file's text; `#` comments and blank lines are skipped. */
export function parseIdentities(text: string, source: string): string[] {
  const identities: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    if (!/^AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}$/.test(line)) {
      // Never echo the line: it may be a key.
      throw new Error(`${source}: line ${i + 1} is not an age X25519 identity (AGE-SECRET-KEY-1...)`);
    }
    identities.push(line);
  });
  return identities;
}

/** The age recipient (public key) of an identity. */
export async function recipientOf(identity: string): Promise<string> {
  return loadAge().identityToRecipient(identity);
}
