import type { PreviewRun } from "../../lib/engine";
import { engineProblem, underCi as ci } from "../helpers/engine";
import { sharedPreview } from "../helpers/shared-preview";

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
    let run: PreviewRun;

    beforeAll(async () => {
      // The run's one preview of every stack (shared with preview and convergence).
      run = await sharedPreview();
    }, 240_000);

    test("plans every resource as a create, and the plan passes the policy pack", () => {
      const stack = run.stacks.find((s) => s.stack === "bootstrap-stack")!;
      expect(stack).toBeDefined();
      expect(stack.summary.resources).toBeGreaterThan(40);
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
