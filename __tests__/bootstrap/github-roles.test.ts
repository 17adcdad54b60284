import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { ROLE_MAX_SESSION_SECONDS } from "../../bootstrap/github-roles";
import { synthBootstrap } from "../helpers/bootstrap";

const WORKFLOWS = resolve(__dirname, "../../.github/workflows");

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  "timeout-minutes"?: number;
  steps?: Step[];
}

/** Every job that assumes an AWS role, with its timeout and the session it requests. */
function roleJobs(): { job: string; timeoutSeconds: number; requested?: unknown }[] {
  return readdirSync(WORKFLOWS)
    .filter((file) => file.endsWith(".yml"))
    .flatMap((file) => {
      const workflow = parse(readFileSync(join(WORKFLOWS, file), "utf8")) as { jobs: Record<string, Job> };
      return Object.entries(workflow.jobs).flatMap(([id, job]) =>
        (job.steps ?? [])
          .filter((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@"))
          .map((step) => ({
            job: `${file} ${id}`,
            // GitHub's default job timeout is 360 minutes.
            timeoutSeconds: (job["timeout-minutes"] ?? 360) * 60,
            requested: step.with?.["role-duration-seconds"],
          })),
      );
    });
}

test("every GitHub role allows sessions of ROLE_MAX_SESSION_SECONDS", () => {
  const { json } = synthBootstrap();
  const federated = Object.values(json.resource.aws_iam_role).filter((role) =>
    String(role.assume_role_policy).includes("Federated"),
  );
  expect(federated.length).toBeGreaterThan(0);
  for (const role of federated)
    expect([role.name, role.max_session_duration]).toEqual([role.name, ROLE_MAX_SESSION_SECONDS]);
});

// A session shorter than the job lets the apply lose its credentials half-way; one above the role's
// maximum fails to assume at all.
test("the longest job that assumes a role fits in the role's maximum session, and no job requests more", () => {
  const jobs = roleJobs();
  expect(jobs.length).toBeGreaterThan(0);
  for (const { job, timeoutSeconds, requested } of jobs) {
    expect([job, timeoutSeconds <= ROLE_MAX_SESSION_SECONDS]).toEqual([job, true]);
    if (requested !== undefined)
      expect([job, Number(requested) <= ROLE_MAX_SESSION_SECONDS]).toEqual([job, true]);
  }
});
