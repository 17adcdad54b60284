import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { previewStacks, synthesizeForPreview, type PreviewRun, type Synthesized } from "../../lib/engine";
import { withDirectoryLock } from "../../lib/engine/lock";
import { SHARED_INSTALL_ROOT } from "./engine";
import { SYNTH_DIR_ENV } from "./synth-cache";

/**
 * Work the engine suites share within one jest run, done by the first suite that asks, under a lock
 * (the others wait for it and read its result): the preview's synth of the whole app, and one offline
 * preview of every stack from an empty state. It lives in the run's directory, which the global teardown
 * removes. The outputs are shared: a suite that changes a file copies it first.
 */
async function once<T>(name: string, make: (dir: string) => Promise<T>): Promise<T> {
  const runDir = process.env[SYNTH_DIR_ENV];
  if (!runDir) throw new Error(`${SYNTH_DIR_ENV} is not set: run the tests through jest (global setup)`);
  const dir = join(runDir, name);
  const resultFile = join(dir, "result.json");
  const errorFile = join(dir, "error.json");
  mkdirSync(dir, { recursive: true });
  await withDirectoryLock(join(runDir, `${name}.lock`), async () => {
    if (existsSync(resultFile) || existsSync(errorFile)) return;
    try {
      writeFileSync(resultFile, JSON.stringify(await make(dir)));
    } catch (error) {
      // Every suite that asks fails with the same error, not only the first.
      writeFileSync(errorFile, JSON.stringify({ message: (error as Error).message }));
    }
  });
  if (existsSync(errorFile)) throw new Error(JSON.parse(readFileSync(errorFile, "utf8")).message);
  return JSON.parse(readFileSync(resultFile, "utf8")) as T;
}

/** main.ts as the preview runs it (every stack, the offline release, sample secrets allowed, policy contexts). */
export function sharedSynth(): Promise<Synthesized> {
  return once("preview-synth", (dir) => synthesizeForPreview(dir, [], process.env));
}

/** Synth, then plan and show -json of every stack in parallel (preview, bootstrap-preview, convergence). */
export function sharedPreview(): Promise<PreviewRun> {
  return once("preview", async (dir) => {
    const synthesized = await sharedSynth();
    // The engine environment is kept in the result and reused by later suites, so its TMPDIR must outlive
    // the test file that ran the preview (setup.ts removes each file's own): the provider makes its plugin
    // socket there, and a missing TMPDIR fails the handshake ("Failed to read any lines from plugin's stdout").
    const tmp = join(dir, "tmp");
    mkdirSync(tmp, { recursive: true });
    return previewStacks([], {
      workDir: dir,
      synthesized,
      installRoot: SHARED_INSTALL_ROOT,
      env: { ...process.env, TMPDIR: tmp },
    });
  });
}
