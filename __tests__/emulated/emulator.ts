import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeForPreview, type Synthesized } from "../../lib/engine";
import { emulatorProblem } from "../../lib/emulator/server";
import { setupEngine, type EngineSetup } from "../../lib/emulator/workspace";
import type { StackJson } from "../../lib/engine/working-copy";
import { SHARED_INSTALL_ROOT, engineProblem, underCi } from "../helpers/engine";

/** The release the emulated tier synthesizes with and seeds (a test release, never a real one). */
export const EMULATED_RELEASE = "emulated-test-release";

/**
 * `describe(name, body)` when moto 5.2.1 and an engine run here. Without them, one test says why: it
 * fails under CI=true (the emulated tier must never pass by not running) and is skipped otherwise.
 */
export function describeWithEmulator(name: string, body: () => void): void {
  const problem = emulatorProblem() ?? engineProblem();
  if (!problem) describe(name, body);
  else if (underCi)
    test(`${name}: the emulator and an engine are available (required under CI=true)`, () => {
      throw new Error(`emulated tests cannot run: ${problem}`);
    });
  else test.skip(`${name} (skipped: ${problem})`, () => {});
}

/** Progress lines of the tier: one per phase, with its time, on stderr (jest keeps stdout for results). */
export const tierLog = (line: string) => process.stderr.write(`[emulated] ${line}\n`);

export interface EmulatedRun {
  readonly workDir: string;
  readonly synthesized: Synthesized;
  readonly setup: EngineSetup;
  stackJson(stack: string): StackJson;
}

/** This file's synth of every stack (the test release, sample secrets) and the shared provider install. */
export async function prepareRun(): Promise<EmulatedRun> {
  const workDir = mkdtempSync(join(tmpdir(), "emulated-"));
  const env = { ...process.env, MEDIA_DOWNLOADER_RELEASE: EMULATED_RELEASE };
  const [synthesized, setup] = await Promise.all([
    synthesizeForPreview(workDir, [], env),
    setupEngine(workDir, { installRoot: SHARED_INSTALL_ROOT }),
  ]);
  return {
    workDir,
    synthesized,
    setup,
    stackJson: (stack) =>
      JSON.parse(readFileSync(join(synthesized.outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as StackJson,
  };
}
