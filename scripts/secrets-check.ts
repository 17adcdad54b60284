import { resolve } from "node:path";
import { loadEnvironments } from "../config";
import { runCli, UserError } from "../lib/cli/cli";
import { checkSecrets } from "../lib/sops/check-secrets";
import { SecretsError } from "../lib/sops/errors";
import { ageKeysFromEnv } from "../lib/sops/keys";

/**
 * `npm run secrets:check [-- --deploy]`: checks every environment's SOPS file without a private key;
 * with SOPS_AGE_KEY or SOPS_AGE_KEY_FILE set it also decrypts and verifies MACs. `--deploy` turns the
 * sample-recipient warning into an error. Exits 1 on any problem, one line each.
 */
const USAGE = "usage: npm run secrets:check [-- --deploy]";

runCli(async () => {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== "--deploy");
  if (unknown.length > 0) throw new UserError(`unknown argument ${unknown[0]}; ${USAGE}`);
  const deploy = args.includes("--deploy");
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
