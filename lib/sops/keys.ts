import { readFileSync } from "node:fs";
import { parseIdentities } from "./age";
import { SecretsError } from "./errors";

export interface AgeKeys {
  /** AGE-SECRET-KEY-1... identities; empty when no key was provided. */
  readonly identities: readonly string[];
  /** Where they came from, for messages (never the keys themselves). */
  readonly sources: readonly string[];
}

/**
 * The age identities the environment provides, read as sops reads them: SOPS_AGE_KEY holds one or more
 * identities (one a line; `#` comments allowed), SOPS_AGE_KEY_FILE names a key file. Both may be set.
 * Throws SecretsError when a variable is set but unusable.
 */
export function ageKeysFromEnv(env: NodeJS.ProcessEnv = process.env): AgeKeys {
  const identities: string[] = [];
  const sources: string[] = [];
  const problems: string[] = [];
  const inline = env.SOPS_AGE_KEY;
  if (inline !== undefined && inline.trim() !== "") {
    try {
      identities.push(...parseIdentities(inline, "SOPS_AGE_KEY"));
      sources.push("SOPS_AGE_KEY");
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const file = env.SOPS_AGE_KEY_FILE;
  if (file !== undefined && file.trim() !== "") {
    let text: string | undefined;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      problems.push(`SOPS_AGE_KEY_FILE: cannot read ${file}`);
    }
    if (text !== undefined) {
      try {
        identities.push(...parseIdentities(text, `SOPS_AGE_KEY_FILE (${file})`));
        sources.push(`SOPS_AGE_KEY_FILE (${file})`);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  if (problems.length > 0) throw new SecretsError(problems, "unusable age key");
  return { identities: [...new Set(identities)], sources };
}
