import { parseCommand } from "../lib/cli/args";
import { UserError, runCli } from "../lib/cli/cli";
import { previewStacks } from "../lib/engine";
import { report } from "../lib/engine/report";

const PREVIEW_COMMAND = {
  usage: "usage: npm run preview -- [stack ...]",
  help: [
    "Plans the named stacks (default: all) offline with the real engine (TERRAFORM_BINARY_NAME) and the AWS",
    "provider from a filesystem mirror (TF_PLUGIN_MIRROR, else /opt/tf-plugins) or, with neither, the registry;",
    "then runs the plan policies. Working copies go to .preview/",
    "(PREVIEW_WORK_DIR overrides). No AWS account is needed. See lib/engine/README.md.",
  ].join("\n"),
} as const;

runCli(async () => {
  const parsed = parseCommand(PREVIEW_COMMAND);
  if (!parsed) return;
  const result = await previewStacks(parsed.positionals, {
    log: (line) => process.stderr.write(`preview: ${line}\n`),
  });
  const { text, violations } = report(result);
  process.stdout.write(`${text}\n`);
  if (violations > 0) throw new UserError(`${violations} plan policy violation(s)`);
});
