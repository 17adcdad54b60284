import { parseArgs, type ParseArgsConfig } from "node:util";
import { UserError } from "./cli";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface CommandSpec<O extends Options> {
  /** One line, e.g. "usage: npm run plan:check -- <plan.json> [--allow <address> ...]". */
  readonly usage: string;
  /** What the command does and its options, printed after the usage line on --help. */
  readonly help?: string;
  readonly options?: O;
  /** Whether positional arguments are accepted (default true). */
  readonly positionals?: boolean;
}

export type ParsedCommand<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true }>
>;

/**
 * Every command's argument handling: `--help`/`-h` prints the usage (and help) and exits 0; an unknown
 * flag or a missing value is one user error ending with the usage line. Built on node:util parseArgs.
 */
export function parseCommand<O extends Options>(
  spec: CommandSpec<O>,
  argv: readonly string[] = process.argv.slice(2),
): ParsedCommand<O> | undefined {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${spec.usage}\n${spec.help ? `\n${spec.help.trimEnd()}\n` : ""}`);
    return undefined;
  }
  try {
    return parseArgs({
      args: [...argv],
      options: (spec.options ?? {}) as O,
      allowPositionals: spec.positionals ?? true,
      strict: true,
    }) as ParsedCommand<O>;
  } catch (error) {
    // node:util's errors (TypeError with a code); checked by shape, so it holds across realms (jest).
    const text = (error as { message?: unknown } | undefined)?.message;
    const message =
      typeof text === "string" ? text.split("\n")[0].replace(/\. To specify.*$/, "") : "bad arguments";
    throw new UserError(`${message}\n${spec.usage}`);
  }
}
