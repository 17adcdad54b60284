import { UserError } from "../cli/cli";

/**
 * What to do when the apply's plan differs from the reviewed one, by which attempt of the run this is.
 * GitHub's "Re-run failed jobs" re-runs only the failed deploy job: the plan job keeps its outputs and
 * artifact from the attempt that was reviewed, so the comparison fails the same way every time. Only
 * "Re-run all jobs" plans again, for a new review and approval (docs.github.com, "Re-running workflows
 * and jobs": re-running failed jobs re-runs them and their dependents, not the jobs that succeeded).
 */
export function rerunAdvice(reviewedArtifact: string, currentAttempt: number): string {
  const match = /-(\d+)$/.exec(reviewedArtifact);
  if (!match)
    throw new UserError(
      `--reviewed-artifact: expected a name ending in -<run attempt>, got ${reviewedArtifact}`,
    );
  const reviewedAttempt = Number(match[1]);
  const rerunAll =
    'Use "Re-run all jobs" (Actions › this run › Re-run jobs › Re-run all jobs): it plans again, and the new plan is reviewed and approved before it is applied.';
  if (reviewedAttempt < currentAttempt)
    return `This is attempt ${currentAttempt}, a re-run of the failed jobs only: the reviewed plan is still attempt ${reviewedAttempt}'s, and "Re-run failed jobs" will compare against it again and fail again. ${rerunAll}`;
  return `Re-running only the failed jobs would compare against this same reviewed plan and fail again. ${rerunAll}`;
}
