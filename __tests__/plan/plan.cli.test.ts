import { runScript } from "../helpers/scripts";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The plan commands as the workflows call them (npm run -s plan:render / plan:fingerprint). */
const ROOT = resolve(__dirname, "../..");
const STATE_PLAN = join(ROOT, "__tests__/fixtures/plans/state-plan.json");
const run = runScript;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "plan-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("plan:render writes the Markdown of a plan file", () => {
  const result = run("plan-render.ts", [STATE_PLAN, "--stack", "staging-stack", "--run-url", "https://r/1"]);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  expect(result.stdout.split("\n")[0]).toBe(
    "### Plan: `staging-stack` — 1 to create, 3 to update, 2 to replace, 2 to delete",
  );
});

test("plan:render refuses a file that is not a plan, in one line, and --substituted without the stack", () => {
  const bad = join(dir, "not-a-plan.json");
  writeFileSync(bad, JSON.stringify({ resources: [] }));
  const result = run("plan-render.ts", [bad, "--stack", "s"]);
  expect(result.status).toBe(1);
  expect(result.stderr).toBe(
    `error: ${bad}: no format_version (expected the output of \`show -json <planfile>\`)\n`,
  );
  const substituted = run("plan-render.ts", [STATE_PLAN, "--stack", "s", "--substituted"]);
  expect(substituted.status).toBe(1);
  expect(substituted.stderr).toContain("--substituted needs --synthesized <cdk.tf.json>");
});

test("plan:fingerprint writes a document, accepts the same plan and refuses a changed one", () => {
  const doc = join(dir, "fingerprint.json");
  const first = run("plan-fingerprint.ts", [STATE_PLAN, "--stack", "staging-stack", "--write", doc]);
  expect(first.status).toBe(0);
  expect(first.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
  expect(JSON.parse(readFileSync(doc, "utf8")).sha256).toBe(first.stdout.trim());

  const same = run("plan-fingerprint.ts", [STATE_PLAN, "--stack", "staging-stack", "--compare", doc]);
  expect([same.status, same.stdout.trim()]).toEqual([
    0,
    `the plan equals the reviewed plan: ${first.stdout.trim()}`,
  ]);

  const plan = JSON.parse(readFileSync(STATE_PLAN, "utf8"));
  plan.resource_changes = plan.resource_changes.filter(
    (c: { address: string }) => c.address !== "aws_s3_bucket.old_media",
  );
  const changed = join(dir, "changed.json");
  writeFileSync(changed, JSON.stringify(plan));
  const different = run("plan-fingerprint.ts", [changed, "--stack", "staging-stack", "--compare", doc]);
  expect(different.status).toBe(1);
  expect(different.stdout).toContain(
    "- aws_s3_bucket.old_media: was in the reviewed plan (delete), is not in the new one",
  );
  expect(different.stderr).toBe("error: 1 difference(s) from the reviewed plan; nothing applied\n");
});
