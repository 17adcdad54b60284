import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { recordCommand } from "../lib/promotion/commands";

/** `npm run release:record -- <environment>`: after the integration tests, records that its release passed. */
const spec = {
  usage: "usage: npm run release:record -- <environment>",
  help: "Writes s3://<artifacts.bucket>/promotions/<release>/<environment>.json (needs AWS credentials).",
} as const;

runCli(async () => {
  const args = parseCommand(spec);
  if (!args) return;
  if (args.positionals.length !== 1) throw new UserError(`expected one environment\n${spec.usage}`);
  process.stdout.write(`${await recordCommand(args.positionals[0])}\n`);
});
