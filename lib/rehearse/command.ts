import { assertLoopback, type Emulator } from "../emulator/server";
import { readLegacyState } from "./legacy-state";
import { environmentOfStack, rehearse, type RehearsalResult } from "./rehearse";

export interface CommandOptions {
  readonly stack: string;
  readonly stateFile: string;
  readonly workDir: string;
  /** An emulator already running on loopback; anything else is refused. @default one started here */
  readonly endpoint?: string;
  readonly write: (line: string) => void;
  readonly installRoot?: string;
}

/** The lines the command prints after its phase lines: notes, problems, and the verdict last. */
export function reportLines(result: RehearsalResult, stateFile: string): string[] {
  const lines = result.notes.map((n) => `note: ${n}`);
  for (const p of result.problems) lines.push(`problem: ${p}`);
  const total = result.phases.reduce((s, p) => s + p.seconds, 0);
  lines.push(
    result.ok
      ? `rehearsal passed: ${result.stack} adopts ${stateFile} with no stateful delete or replace, every kept id unchanged, every forgotten object still there, and a refresh plan that changes nothing${result.quirks > 0 ? ` but ${result.quirks} listed emulator quirk(s)` : ""} (${total.toFixed(0)} s)`
      : `rehearsal FAILED: ${result.stack} with ${stateFile}: ${result.problems.length} problem(s) above (${total.toFixed(0)} s)`,
  );
  return lines;
}

/**
 * `npm run rehearse`: bad input is refused before anything starts (unknown stack, a state file that is
 * missing or is not a state, a non-loopback endpoint); then one line per phase with its time, and the
 * verdict. Returns whether the rehearsal passed.
 */
export async function runRehearsal(options: CommandOptions): Promise<boolean> {
  environmentOfStack(options.stack);
  const legacy = readLegacyState(options.stateFile);
  let emulator: Emulator | undefined;
  if (options.endpoint !== undefined) {
    assertLoopback(options.endpoint, "--endpoint");
    emulator = {
      endpoint: options.endpoint,
      port: Number(new URL(options.endpoint).port),
      pid: 0,
      stop: async () => {},
    };
  }
  // Nothing here may find a real credential or profile: every AWS_* variable of the caller goes.
  for (const key of Object.keys(process.env)) if (key.startsWith("AWS_")) delete process.env[key];
  const result = await rehearse({
    stack: options.stack,
    legacy,
    workDir: options.workDir,
    emulator,
    installRoot: options.installRoot,
    log: options.write,
  });
  for (const line of reportLines(result, options.stateFile)) options.write(line);
  return result.ok;
}
