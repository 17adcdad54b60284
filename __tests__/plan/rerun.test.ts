import { rerunAdvice } from "../../lib/plan/rerun";

/** The failed comparison says exactly which re-run to use. */

test('a "Re-run failed jobs" attempt is told it compares against the earlier attempt, and to re-run all jobs', () => {
  const advice = rerunAdvice("plan-prod-stack-123-1", 2);
  expect(advice).toContain("This is attempt 2, a re-run of the failed jobs only");
  expect(advice).toContain("the reviewed plan is still attempt 1's");
  expect(advice).toContain('Use "Re-run all jobs"');
});

test("the first attempt is told that only re-running all jobs helps", () => {
  const advice = rerunAdvice("plan-prod-stack-123-3", 3);
  expect(advice).not.toContain("This is attempt");
  expect(advice).toMatch(/^Re-running only the failed jobs would compare against this same reviewed plan/);
  expect(advice).toContain('Use "Re-run all jobs"');
});

test("an artifact name without its attempt is refused", () => {
  expect(() => rerunAdvice("plan-prod-stack", 1)).toThrow(
    "--reviewed-artifact: expected a name ending in -<run attempt>, got plan-prod-stack",
  );
});
