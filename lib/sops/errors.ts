/**
 * A problem with the secrets files or their keys: every problem, one line each, naming the file and
 * the key (never a value). lib/cli/cli.ts prints it as a user error, without a stack trace.
 */
export class SecretsError extends Error {
  readonly problems: string[];

  constructor(problems: readonly string[], heading = "secrets check failed") {
    super(`${heading}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "SecretsError";
    this.problems = [...problems];
  }
}
