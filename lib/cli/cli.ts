import { describeFilesystemError } from "./filesystem-errors";

/**
 * An error caused by the user's input (config, secrets, arguments). The CLI prints its message alone,
 * without a stack trace, and exits 1.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

/** True for errors whose message is the whole story for the user. */
export function isUserError(error: unknown): error is Error {
  return (
    error instanceof Error && ["UserError", "ConfigError", "SecretsError", "PolicyError"].includes(error.name)
  );
}

/**
 * Runs a command's body; user errors and filesystem failures (a read-only or full disk, a file where a
 * folder is needed) become one clean line and exit code 1. Anything else is a bug: its stack is printed.
 */
export function runCli(body: () => void | Promise<void>): void {
  Promise.resolve()
    .then(body)
    .catch((error: unknown) => {
      const filesystem = describeFilesystemError(error);
      if (isUserError(error)) {
        process.stderr.write(`error: ${error.message}\n`);
      } else if (filesystem) {
        process.stderr.write(`error: ${filesystem}\n`);
      } else {
        process.stderr.write(
          `internal error (please report): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
      }
      process.exitCode = 1;
    });
}
