import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { diffNamedEnvironments, formatDiffMarkdown } from "../lib/parity/envs-diff";

/**
 * `npm run envs:diff [-- <env> <env>]`: compares two environments' synthesized stacks (default: the first
 * two in config) and prints Markdown; every difference is declared by a config field or marked undeclared.
 * Exits 1 when something is undeclared. Writes nothing.
 */
runCli(() => {
  const usage = "usage: npm run envs:diff [-- <environment> <environment>]";
  const parsed = parseCommand({
    usage,
    help: "Prints Markdown for a PR comment; exit 1 on an undeclared difference.",
  });
  if (!parsed) return;
  if (parsed.positionals.length !== 0 && parsed.positionals.length !== 2)
    throw new UserError(`expected two environments\n${usage}`);
  const diff = diffNamedEnvironments(parsed.positionals);
  process.stdout.write(formatDiffMarkdown(diff));
  if (diff.undeclared.length > 0) process.exitCode = 1;
});
