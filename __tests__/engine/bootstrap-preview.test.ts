import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, previewStacks, type PreviewRun } from "../../lib/engine";
import { engineProblem, underCi as ci } from "../helpers/engine";

/** The bootstrap stack plans offline with the real engine like the environment stacks, and passes the policy pack. */

const problem = engineProblem();

if (problem) {
  if (ci)
    test("a Terraform engine is available (required under CI=true)", () => {
      throw new Error(`engine tests cannot run: ${problem}`);
    });
  else test.skip(`offline plan of bootstrap-stack (skipped: ${problem})`, () => {});
} else {
  describe("offline preview of bootstrap-stack", () => {
    let workDir: string;
    let run: PreviewRun;

    beforeAll(async () => {
      mkdirSync(join(REPO_ROOT, ".preview"), { recursive: true });
      workDir = mkdtempSync(join(REPO_ROOT, ".preview", "jest-bootstrap-"));
      run = await previewStacks(["bootstrap-stack"], { workDir });
    }, 240_000);

    afterAll(() => {
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    });

    test("plans every resource as a create, and the plan passes the policy pack", () => {
      const [stack] = run.stacks;
      expect(stack.stack).toBe("bootstrap-stack");
      expect(stack.summary.byAction.create).toBe(stack.summary.resources);
      expect(Object.keys(stack.summary.byType)).toEqual(
        expect.arrayContaining([
          "aws_s3_bucket",
          "aws_kms_key",
          "aws_iam_openid_connect_provider",
          "aws_iam_role",
          "aws_api_gateway_account",
        ]),
      );
      expect(stack.violations).toEqual([]);
    });
  });
}
