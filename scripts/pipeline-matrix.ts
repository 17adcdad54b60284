import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { loadEnvironments } from "../config";
import { PROMOTION } from "../config/releases";
import {
  githubEnvironments,
  githubOutputs,
  pipeline,
  rollbackEntry,
  type PipelineInput,
} from "../lib/pipeline/environments";

/**
 * `npm run -s pipeline:matrix`: the pipeline's jobs from config (lib/pipeline/environments.ts), as JSON;
 * with --github as `name=<json>` lines for $GITHUB_OUTPUT; with --rollback <environment> only that
 * environment's stage entry (`stage=<json>`); with --environments the GitHub environments to create.
 */
const spec = {
  usage: "usage: npm run pipeline:matrix -- [--github] [--rollback <environment>] [--environments]",
  options: { github: { type: "boolean" }, rollback: { type: "string" }, environments: { type: "boolean" } },
  positionals: false,
} as const;

runCli(() => {
  const args = parseCommand(spec);
  if (!args) return;
  const environments = loadEnvironments();
  const input: PipelineInput = {
    stacks: Object.fromEntries(Object.entries(environments).map(([name, config]) => [name, config.stack])),
    promotion: PROMOTION,
  };
  const { github, rollback } = args.values;
  if (args.values.environments) {
    process.stdout.write(`${JSON.stringify(githubEnvironments(input), null, 2)}\n`);
    return;
  }
  if (rollback !== undefined) {
    if (!rollback) throw new UserError(`--rollback: expected an environment\n${spec.usage}`);
    const entry = rollbackEntry(input, rollback);
    process.stdout.write(
      github ? `stage=${JSON.stringify([entry])}\n` : `${JSON.stringify(entry, null, 2)}\n`,
    );
    return;
  }
  const result = pipeline(input);
  process.stdout.write(
    github ? `${githubOutputs(result).join("\n")}\n` : `${JSON.stringify(result, null, 2)}\n`,
  );
});
