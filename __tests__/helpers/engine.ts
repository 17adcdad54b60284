import { join } from "node:path";
import { REPO_ROOT, findEngine } from "../../lib/engine";

/** Why the real engine cannot run here (no binary, not Terraform or OpenTofu), or undefined when it can. */
export function engineProblem(): string | undefined {
  try {
    findEngine();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export const underCi = process.env.CI === "true" || process.env.CI === "1";

/**
 * `describe(name, body)` when the engine runs here. Without one, a single test says so: it fails under
 * CI=true (an engine test must never pass by not running) and is skipped, loudly named, otherwise.
 */
export function describeWithEngine(name: string, body: () => void): void {
  const problem = engineProblem();
  if (!problem) {
    describe(name, body);
  } else if (underCi) {
    test(`${name}: an engine is available (required under CI=true)`, () => {
      throw new Error(`engine tests cannot run: ${problem}`);
    });
  } else {
    test.skip(`${name} (skipped: ${problem})`, () => {});
  }
}

/**
 * The provider install the engine suites share: `npm run preview`'s own cache (verified on every reuse,
 * locked while one process installs). A run installs the 675 MB provider once instead of once per suite.
 */
export const SHARED_INSTALL_ROOT = join(REPO_ROOT, ".preview", ".provider-install");
