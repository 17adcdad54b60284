import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { passedCommand } from "../lib/promotion/commands";

/**
 * `npm run release:passed -- <environment> [--rollback]`: refuses (exit 1) unless the environment's
 * release passed every environment that gates it (config/releases.ts PROMOTION).
 */
const spec = {
  usage: "usage: npm run release:passed -- <environment> [--rollback]",
  help: `Reads s3://<artifacts.bucket>/promotions/<release>/<gate>.json for each gate (needs AWS credentials).
  --rollback  a first stage (staging) needs a release that passed it before`,
  options: { rollback: { type: "boolean" } },
} as const;

runCli(async () => {
  const args = parseCommand(spec);
  if (!args) return;
  if (args.positionals.length !== 1) throw new UserError(`expected one environment\n${spec.usage}`);
  process.stdout.write(`${await passedCommand(args.positionals[0], { rollback: args.values.rollback })}\n`);
});
