import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, type PreviewRun } from "../../lib/engine";
import { run } from "../../lib/engine/engine";
import type { PlanJson } from "../../lib/plan/plan-json";
import { stateFromPlan, type ProviderSchemas } from "../../lib/plan/state-from-plan";
import { describeWithEngine } from "../helpers/engine";
import { sharedPreview } from "../helpers/shared-preview";

/**
 * A second apply converges: plan staging offline, build the state that apply would leave
 * (lib/plan/state-from-plan.ts), plan again against it with -refresh=false, and read what changes.
 * Needs the engine and the plugin mirror, like the preview tests.
 */

/** A hang guard for two offline plans, not a timing limit. */
const GUARD = 400_000;

describeWithEngine("second plan against the state of the first (staging)", () => {
  let workDir: string;
  let second: PlanJson;
  let firstPlan: PlanJson;
  let state: ReturnType<typeof stateFromPlan>;

  beforeAll(async () => {
    mkdirSync(join(REPO_ROOT, ".preview"), { recursive: true });
    workDir = mkdtempSync(join(REPO_ROOT, ".preview", "converge-"));
    // The run's one preview of every stack; its working copy is shared, so the second plan runs in a copy.
    const preview: PreviewRun = await sharedPreview();
    const shared = preview.stacks.find((s) => s.stack === "staging-stack")!;
    const stack = { ...shared, dir: join(workDir, "staging-stack") };
    cpSync(shared.dir, stack.dir, { recursive: true });
    const install = preview.installs[0];
    const env = { ...install.env, TF_DATA_DIR: install.dataDir };
    const engine = async (args: string[], stdoutFile?: string) => {
      const result = await run(preview.engine.path, args, { cwd: stack.dir, env, stdoutFile });
      if (result.code !== 0) throw new Error(`${args[0]} failed: ${result.stderr}`);
    };
    await engine(["providers", "schema", "-json"], join(stack.dir, "schema.json"));
    const schemas = JSON.parse(readFileSync(join(stack.dir, "schema.json"), "utf8")) as ProviderSchemas;
    firstPlan = stack.planJson as unknown as PlanJson;
    state = stateFromPlan(firstPlan, { schemas });
    // The working copy's backend is local, path terraform.tfstate.
    writeFileSync(join(stack.dir, "terraform.tfstate"), JSON.stringify(state, null, 2));
    await engine(
      ["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", "-out=second.tfplan"],
      join(stack.dir, "second.txt"),
    );
    await engine(["show", "-json", "-no-color", "second.tfplan"], join(stack.dir, "second.json"));
    second = JSON.parse(readFileSync(join(stack.dir, "second.json"), "utf8")) as PlanJson;
  }, GUARD);

  afterAll(() => {
    if (workDir && !process.env.KEEP_CONVERGENCE_DIR) rmSync(workDir, { recursive: true, force: true });
  });

  const changesOf = (type: string) =>
    (second.resource_changes ?? []).filter((rc) => rc.type === type && rc.mode === "managed");

  test("the state holds every managed resource of the first plan", () => {
    expect(state.resources.length).toBeGreaterThan(200);
  });

  test("the default file's copy converges: the second plan neither copies it again nor changes it", () => {
    const copies = changesOf("aws_s3_object_copy");
    expect(copies).toHaveLength(1);
    const { actions, before, after, after_unknown } = copies[0].change;
    expect(after).toEqual(before);
    expect(after_unknown).toEqual({});
    // The requirement: a second apply is a no-op for the copy (tagging_directive = "REPLACE").
    // The provider's own perpetual diff (#25477) comes from a refresh, which -refresh=false skips; the
    // fix is the argument the provider documents for it.
    expect(actions).toEqual(["no-op"]);
  });

  test("every resource the first plan knew completely plans no change the second time", () => {
    // Resources with values known only after apply get stand-ins (state-from-plan.ts), and attributes
    // built from them by templates (e.g. a permission's source_arn) then differ: those are fixture
    // artifacts, not drift. Everything the first plan knew fully must converge.
    const first = new Map(
      (firstPlan.resource_changes ?? []).map((rc) => [
        rc.address,
        rc.change.after_unknown as Record<string, unknown>,
      ]),
    );
    const fullyKnown = (address: string) =>
      Object.values(first.get(address) ?? {}).every(
        (flag) => flag === false || (typeof flag === "object" && JSON.stringify(flag).indexOf("true") < 0),
      );
    const changed = (second.resource_changes ?? [])
      .filter((rc) => rc.mode === "managed" && fullyKnown(rc.address))
      .filter((rc) => !(rc.change.actions.length === 1 && rc.change.actions[0] === "no-op"))
      .map((rc) => `${rc.address}: ${rc.change.actions.join(",")}`);
    expect(changed).toEqual([]);
  });
});
