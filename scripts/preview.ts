import { UserError, runCli } from "../lib/cli/cli";
import { previewStacks } from "../lib/engine";
import { report } from "../lib/engine/report";

const USAGE = "usage: npm run preview -- [stack ...]";

runCli(async () => {
  const args = process.argv.slice(2);
  if (args.includes("-h") || args.includes("--help")) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const option = args.find((a) => a.startsWith("-"));
  if (option) throw new UserError(`unknown option ${option}; ${USAGE}`);
  const result = await previewStacks(args, { log: (line) => process.stderr.write(`preview: ${line}\n`) });
  const { text, violations } = report(result);
  process.stdout.write(`${text}\n`);
  if (violations > 0) throw new UserError(`${violations} plan policy violation(s)`);
});
