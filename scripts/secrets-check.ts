import { resolve } from "node:path";
import { loadEnvironments } from "../config";
import { parseCommand } from "../lib/cli/args";
import { runCli } from "../lib/cli/cli";
import { checkSecrets } from "../lib/sops/check-secrets";
import { SecretsError } from "../lib/sops/errors";
import { ageKeysFromEnv } from "../lib/sops/keys";

/**
 * `npm run secrets:check [-- --deploy]`: checks every environment's SOPS file without a private key;
 * with SOPS_AGE_KEY or SOPS_AGE_KEY_FILE set it also decrypts and verifies MACs. `--deploy` turns the
 * sample-recipient warning into an error. Exits 1 on any problem, one line each.
 */
const SECRETS_CHECK_COMMAND = {
  usage: "usage: npm run secrets:check [-- --deploy]",
  help: [
    "Checks every environment's SOPS file (from config) without a private key: present, complete, every value",
    "encrypted, the recipients .sops.yaml assigns. With SOPS_AGE_KEY or SOPS_AGE_KEY_FILE it also decrypts",
    "and verifies each MAC. See secrets/README.md.",
    "  --deploy   refuse files encrypted to the sample recipients (an error instead of a warning)",
  ].join("\n"),
  options: { deploy: { type: "boolean" } },
  positionals: false,
} as const;

runCli(async () => {
  const parsed = parseCommand(SECRETS_CHECK_COMMAND);
  if (!parsed) return;
  const deploy = parsed.values.deploy ?? false;
  const keys = ageKeysFromEnv();
  const environments = loadEnvironments();
  const report = await checkSecrets({
    repoRoot: resolve(__dirname, ".."),
    environments,
    deploy,
    identities: keys.identities,
  });
  for (const warning of report.warnings) process.stderr.write(`${warning}\n`);
  for (const note of report.notes) process.stdout.write(`${note}\n`);
  if (report.problems.length > 0) throw new SecretsError(report.problems);
  const files = Object.values(environments).map((c) => c.secretsFile);
  const mac =
    keys.identities.length > 0 ? `key from ${keys.sources.join(" and ")}` : "no key given: MACs not verified";
  process.stdout.write(`secrets: ok: ${files.join(", ")} (${mac}${deploy ? "; deployable" : ""})\n`);
});
