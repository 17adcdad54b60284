import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { loadEnvironments } from "../config";
import { resolve } from "node:path";
import { sealForEnvironment } from "../lib/sops/seal";
import { readSopsConfig } from "../lib/sops/sops-config";

/**
 * `npm run state:seal -- <errored.tfstate> --environment <env> --out <file.age>`: writes the file
 * encrypted to the environment's age recipients (lib/sops/seal.ts). The plaintext is left for the caller
 * to remove. Decrypt: `age -d -i <key file> <file.age> > errored.tfstate`.
 */
const spec = {
  usage: "usage: npm run state:seal -- <file> --environment <environment> --out <file.age>",
  options: { environment: { type: "string" }, out: { type: "string" } },
} as const;

runCli(async () => {
  const args = parseCommand(spec);
  if (!args) return;
  const { environment, out } = args.values;
  if (args.positionals.length !== 1 || !environment || !out)
    throw new UserError(`expected one file, --environment and --out\n${spec.usage}`);
  let plaintext: Buffer;
  try {
    plaintext = readFileSync(args.positionals[0]);
  } catch {
    throw new UserError(`${args.positionals[0]}: cannot be read`);
  }
  const secretsFiles = Object.fromEntries(
    Object.entries(loadEnvironments()).map(([name, config]) => [name, config.secretsFile]),
  );
  const sealed = await sealForEnvironment(
    plaintext,
    environment,
    secretsFiles,
    readSopsConfig(resolve(__dirname, "..")),
  );
  writeFileSync(`${out}.tmp`, sealed, { mode: 0o600 });
  renameSync(`${out}.tmp`, out);
  process.stdout.write(`${out}: ${args.positionals[0]} encrypted to ${environment}'s age recipients\n`);
});
