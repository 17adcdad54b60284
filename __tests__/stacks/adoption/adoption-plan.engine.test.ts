import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENT_INPUTS } from "../../../config";
import { REPO_ROOT, findEngine, previewStacks, type PreviewRun } from "../../../lib/engine";
import { checkPlan, destructiveChanges } from "../../../lib/plan/check";
import type { PlanJson } from "../../../lib/plan/plan-json";
import { isStatefulType } from "../../../lib/plan/stateful";
import { ADOPTION_TABLES } from "../../../stacks/adoption/tables";
import { SHARED_INSTALL_ROOT, engineProblem, underCi as ci } from "../../helpers/engine";
import { sharedSynth } from "../../helpers/shared-preview";

/**
 * The proof of the adoption: each adopted environment's stack, planned offline (the preview's working
 * copy, -refresh=false) against its legacy state fixture as local state. Then plan:check on real plans:
 * the same fixture with a changed configuration (a renamed bucket, a table whose mapping entry is gone).
 */

const FIXTURES = join(REPO_ROOT, "__tests__", "fixtures", "legacy-state");
/** Providers the plugin mirror does not hold: their instances are forgotten by `removed` blocks (checked in adoption-table.test.ts). */
const UNMIRRORED = new Set(["null_resource", "time_sleep"]);

/** The fixture as this engine can plan it offline: the unmirrored providers' instances left out, provider host the engine's own. */
function stateForEngine(environment: string, dir: string, kind: "terraform" | "tofu"): string {
  const state = JSON.parse(readFileSync(join(FIXTURES, `${environment}.tfstate.json`), "utf8"));
  state.resources = state.resources.filter((r: { type: string }) => !UNMIRRORED.has(r.type));
  if (kind === "terraform")
    for (const r of state.resources)
      r.provider = r.provider.replace("registry.opentofu.org", "registry.terraform.io");
  const file = join(dir, `${environment}.tfstate`);
  writeFileSync(file, JSON.stringify(state));
  return file;
}

const problem = engineProblem();
const adopted = Object.keys(ENVIRONMENT_INPUTS).filter((env) => ADOPTION_TABLES[env]);

if (problem) {
  if (ci)
    test("a Terraform engine is available (required under CI=true)", () => {
      throw new Error(`adoption plan tests cannot run: ${problem}`);
    });
  else test.skip(`adoption plans (skipped: ${problem})`, () => {});
} else {
  describe("adoption plans against the legacy state fixtures", () => {
    let workDir: string;
    let run: PreviewRun;
    let guardRun: PreviewRun;
    const stackOf: Record<string, string> = {};

    beforeAll(async () => {
      mkdirSync(join(REPO_ROOT, ".preview"), { recursive: true });
      workDir = mkdtempSync(join(REPO_ROOT, ".preview", "jest-adoption-"));
      const engine = findEngine();
      // The run's one synth as the preview does it; its contexts say which stack builds which environment.
      const { outdir, contexts } = await sharedSynth();
      for (const [stack, context] of Object.entries(contexts)) stackOf[context.environment] = stack;
      const priorStates = Object.fromEntries(
        adopted.map((env) => [stackOf[env], stateForEngine(env, workDir, engine.kind)]),
      );
      const adoption = previewStacks(
        adopted.map((env) => stackOf[env]),
        {
          workDir: join(workDir, "adopt"),
          synthesized: { outdir, contexts },
          priorStates,
          installRoot: SHARED_INSTALL_ROOT,
        },
      );

      // The guard case: staging's stack with its bucket renamed and the table's mapping entry dropped.
      // (Staging, because production's prevent_destroy makes the engine itself refuse to plan the bucket.)
      // Planned alongside the adoption plans: independent working copies, one shared provider install.
      const changed = join(workDir, "changed");
      cpSync(outdir, changed, { recursive: true });
      const stackFile = join(changed, "stacks", stackOf.staging, "cdk.tf.json");
      const json = JSON.parse(readFileSync(stackFile, "utf8"));
      const bucket = Object.values(json.resource.aws_s3_bucket)[0] as { bucket: string };
      bucket.bucket = `${bucket.bucket}-renamed`;
      json.moved = json.moved.filter(
        (m: { from: string }) => m.from !== "aws_dynamodb_table.IdempotencyTable",
      );
      writeFileSync(stackFile, JSON.stringify(json));
      const guard = previewStacks([stackOf.staging], {
        workDir: join(workDir, "guard"),
        synthesized: { outdir: changed, contexts },
        priorStates: { [stackOf.staging]: priorStates[stackOf.staging] },
        installRoot: SHARED_INSTALL_ROOT,
      });
      [run, guardRun] = await Promise.all([adoption, guard]);
    }, 600_000);

    afterAll(() => {
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    });

    const planOf = (env: string) => run.stacks.find((s) => s.stack === stackOf[env])!.planJson as PlanJson;

    test.each(adopted)("%s: no stateful resource is deleted or replaced", (env) => {
      const refused = destructiveChanges(planOf(env)).filter((c) => c.refused);
      expect(refused).toEqual([]);
      expect(checkPlan(planOf(env)).ok).toBe(true);
    });

    test.each(adopted)(
      "%s: every moved legacy resource is found in state and planned at its new address",
      (env) => {
        const moved = (planOf(env).resource_changes ?? []).filter((c) => c.previous_address);
        expect(moved.map((c) => c.previous_address).sort()).toEqual(
          Object.keys(ADOPTION_TABLES[env].moves).sort(),
        );
      },
    );

    test.each(adopted)(
      "%s: every legacy stateful resource is kept (moved) or forgotten, never deleted",
      (env) => {
        const plan = planOf(env);
        for (const change of plan.resource_changes ?? []) {
          if (!isStatefulType(change.type)) continue;
          expect([change.address, change.change.actions]).not.toEqual([change.address, ["delete"]]);
        }
        const forgotten = (plan.resource_changes ?? [])
          .filter((c) => c.change.actions.includes("forget"))
          .map((c) => c.address)
          .sort();
        const expected = Object.keys(ADOPTION_TABLES[env].forget)
          .filter((a) => !UNMIRRORED.has(a.split(".")[0]))
          .sort();
        expect(forgotten).toEqual(expected);
      },
    );

    test.each(adopted)("%s: the only deletes are the retired legacy addresses", (env) => {
      const deleted = (planOf(env).resource_changes ?? [])
        .filter((c) => c.change.actions.length === 1 && c.change.actions[0] === "delete")
        .map((c) => c.address)
        .sort();
      expect(deleted).toEqual(Object.keys(ADOPTION_TABLES[env].retire).sort());
    });

    test("plan:check refuses the genuine replace of a renamed bucket and the delete of an unmapped table", () => {
      const plan = guardRun.stacks[0].planJson as PlanJson;
      const found = destructiveChanges(plan).filter((c) => c.refused);
      expect(found.map((c) => [c.type, c.action])).toEqual(
        expect.arrayContaining([
          ["aws_s3_bucket", "replace (create before destroy)"],
          ["aws_dynamodb_table", "delete"],
        ]),
      );
      const bucket = found.find((c) => c.type === "aws_s3_bucket")!;
      expect(bucket.reason).toMatch(/replace_because_cannot_update; forced by bucket/);
      const table = found.find((c) => c.type === "aws_dynamodb_table")!;
      expect(table.address).toBe("aws_dynamodb_table.IdempotencyTable");
      expect(table.reason).toMatch(/delete_because_no_resource_config/);
      const verdict = checkPlan(plan);
      expect(verdict.ok).toBe(false);
      expect(verdict.lines).toContain(
        `refused: aws_dynamodb_table.IdempotencyTable: delete (${table.reason})`,
      );
    });

    test("an --allow naming both exact addresses passes, each printed as an audit line; one alone still fails", () => {
      const plan = guardRun.stacks[0].planJson as PlanJson;
      const addresses = destructiveChanges(plan)
        .filter((c) => c.refused)
        .map((c) => c.address);
      const all = checkPlan(plan, addresses);
      expect(all.ok).toBe(true);
      expect(all.lines.filter((l) => l.startsWith("audit: allowed by --allow: "))).toHaveLength(
        addresses.length,
      );
      expect(checkPlan(plan, ["aws_dynamodb_table.IdempotencyTable"]).ok).toBe(false);
    });
  });
}
