import { findEngine, type Engine } from "../../lib/engine/engine";

/**
 * The engine the tests run with (TERRAFORM_BINARY_NAME, else tofu, else terraform), or why there is none.
 * Without one, an engine suite fails under CI=true and is skipped, with a one-line notice, elsewhere.
 */
export function engineForTests(): { engine?: Engine; problem?: string } {
  try {
    return { engine: findEngine() };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

export function withEngine(title: string, body: (engine: Engine) => void): void {
  const { engine, problem } = engineForTests();
  if (engine) {
    describe(`${title} (${engine.kind} ${engine.version})`, () => body(engine));
    return;
  }
  if (process.env.CI === "true" || process.env.CI === "1") {
    test(`${title}: an engine is available (required under CI=true)`, () => {
      throw new Error(`engine tests cannot run: ${problem}`);
    });
  } else {
    process.stderr.write(`SKIPPING ${title}: ${problem}\n`);
    test.skip(`${title} (skipped: ${problem})`, () => {});
  }
}
