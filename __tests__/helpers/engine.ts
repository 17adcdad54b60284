import { findEngine } from "../../lib/engine";

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
