import { UserError } from "../cli/cli";
import { loadAge } from "./age";
import { ruleForFile, type CreationRule } from "./sops-config";

/**
 * Encrypts a file that holds an environment's secrets (an errored.tfstate left by a failed apply) to
 * that environment's own age recipients: the creation rule .sops.yaml applies to its secrets file. Whoever
 * can decrypt it can already decrypt the environment's secrets; nobody else can. ASCII-armored age.
 */
export async function sealForEnvironment(
  plaintext: Uint8Array,
  environment: string,
  secretsFiles: Readonly<Record<string, string>>,
  rules: readonly CreationRule[],
): Promise<string> {
  if (!Object.hasOwn(secretsFiles, environment))
    throw new UserError(
      `unknown environment ${JSON.stringify(environment)}; expected one of ${Object.keys(secretsFiles).join(", ")}`,
    );
  const secretsFile = secretsFiles[environment];
  const rule = ruleForFile(rules, secretsFile);
  if (!rule || rule.ageRecipients.length === 0)
    throw new UserError(
      `.sops.yaml: no rule with age recipients for ${secretsFile} (${environment}'s secrets file)`,
    );
  const age = loadAge();
  const encrypter = new age.Encrypter();
  for (const recipient of rule.ageRecipients) encrypter.addRecipient(recipient);
  return age.armor.encode(await encrypter.encrypt(plaintext));
}
