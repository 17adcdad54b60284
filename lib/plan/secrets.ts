/**
 * Which resource attributes carry a secret: every attribute of the synthesized stack whose expression
 * reads `data.sops_file.<name>.data[...]`. The renderer and the fingerprint never show or compare their
 * values, and a plan made with substituted secrets (the offline preview's fake values) lists them as
 * "not compared".
 */

/** One secret-bearing attribute: the resource address and the attribute path without list indices. */
export interface SecretAttribute {
  readonly address: string;
  readonly path: readonly string[];
}

const SOPS_REFERENCE = /\bdata\.sops_file\./;

/** The secret-bearing attributes of a synthesized stack (cdk.tf.json), sorted. */
export function secretAttributes(stack: {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}): SecretAttribute[] {
  const found: SecretAttribute[] = [];
  const walk = (address: string, node: unknown, path: string[]) => {
    if (typeof node === "string") {
      if (SOPS_REFERENCE.test(node)) found.push({ address, path });
    } else if (Array.isArray(node)) {
      for (const item of node) walk(address, item, path);
    } else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "//" || key === "depends_on" || key === "lifecycle") continue;
        walk(address, value, [...path, key]);
      }
    }
  };
  for (const [type, byName] of Object.entries(stack.resource ?? {}))
    for (const [name, body] of Object.entries(byName)) walk(`${type}.${name}`, body, []);
  return found.sort((a, b) => formatSecretAttribute(a).localeCompare(formatSecretAttribute(b)));
}

export function formatSecretAttribute(attribute: SecretAttribute): string {
  return `${attribute.address}.${attribute.path.join(".")}`;
}

/** The address without an instance key (`x.y["a"]`, `x.y[0]` -> `x.y`). */
function baseAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, "");
}

/**
 * True when `path` (a plan value path, list indices included) lies inside a secret-bearing attribute of
 * the resource at `address`.
 */
export function isSecretPath(
  secrets: readonly SecretAttribute[],
  address: string,
  path: readonly (string | number)[],
): boolean {
  const keys = path.filter((p): p is string => typeof p === "string");
  const base = baseAddress(address);
  return secrets.some(
    (s) => s.address === base && s.path.length <= keys.length && s.path.every((p, i) => keys[i] === p),
  );
}
