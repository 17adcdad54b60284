import { readFileSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { runCli, UserError } from "../lib/cli/cli";
import { SecretsError } from "../lib/sops/errors";
import { readSopsConfig, ruleForFile, SOPS_CONFIG_FILE } from "../lib/sops/sops-config";
import { encryptSopsYaml } from "../lib/sops/sops-crypto";

/**
 * `node -r ./lib/transpile/register.cjs scripts/secrets-encrypt.ts <plaintext.yaml> <secrets/secrets.<env>.enc.yaml>`
 *
 * Encrypts a plaintext YAML file to the age recipients `.sops.yaml` assigns to the output path, in the
 * format the sops CLI writes (like `sops -e`). For machines without the sops CLI, and to regenerate the
 * sample files; with real secrets, prefer `sops edit`, which never writes the plaintext to disk.
 */
const USAGE =
  "usage: node -r ./lib/transpile/register.cjs scripts/secrets-encrypt.ts <plaintext.yaml> <output.enc.yaml>";

runCli(async () => {
  const args = process.argv.slice(2);
  if (args.length !== 2 || args.some((a) => a.startsWith("-"))) throw new UserError(USAGE);
  const [input, output] = args;
  const repoRoot = resolve(__dirname, "..");
  const outputPath = relative(repoRoot, resolve(output)).split("\\").join("/");
  const rule = ruleForFile(readSopsConfig(repoRoot), outputPath);
  if (!rule || rule.ageRecipients.length === 0) {
    throw new SecretsError([
      `${outputPath}: no creation rule with age recipients in ${SOPS_CONFIG_FILE} matches it`,
    ]);
  }
  let text: string;
  try {
    text = readFileSync(input, "utf8");
  } catch {
    throw new UserError(`cannot read ${input}`);
  }
  // Comments are kept, encrypted, as sops keeps them.
  const encrypted = await encryptSopsYaml(text, input, { recipients: rule.ageRecipients });
  writeFileSync(resolve(output), encrypted);
  process.stdout.write(
    `wrote ${outputPath}, encrypted to ${rule.ageRecipients.join(", ")} (${SOPS_CONFIG_FILE} creation_rules[${rule.index}])\n`,
  );
});
