import { loadEnvironments } from "../config";
import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { diffEnvironments, formatDiffMarkdown } from "../lib/parity/envs-diff";

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
  const environments = loadEnvironments() as Record<
    string,
    ReturnType<typeof loadEnvironments>[keyof ReturnType<typeof loadEnvironments>]
  >;
  const names = Object.keys(environments);
  const chosen = parsed.positionals.length > 0 ? parsed.positionals : names.slice(0, 2);
  if (chosen.length !== 2) throw new UserError(`expected two environments\n${usage}`);
  for (const name of chosen)
    if (!environments[name])
      throw new UserError(`unknown environment ${name} (config has ${names.join(", ")})`);
  const diff = diffEnvironments([chosen[0], chosen[1]], [environments[chosen[0]], environments[chosen[1]]]);
  process.stdout.write(formatDiffMarkdown(diff));
  if (diff.undeclared.length > 0) process.exitCode = 1;
});
