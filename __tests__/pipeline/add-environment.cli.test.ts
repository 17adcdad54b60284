import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import type { DriftEntry, PrPlanEntry, StageEntry } from "../../lib/pipeline/environments";

/**
 * Adding an environment needs no YAML: in a temporary copy of the repository, a `qa` environment goes
 * into config (its file, its ENVIRONMENT_INPUTS entry, its release and its place in PROMOTION, between
 * staging and production); the copy's `npm run pipeline:matrix` then plans it in pull requests, checks it
 * for drift, and the committed deploy.yml (its stage jobs and their needs) deploys it after staging and
 * before production.
 */
const ROOT = resolve(__dirname, "../..");
const COPIED = [
  "package.json",
  "tsconfig.json",
  "config",
  "lib",
  "scripts",
  "stacks",
  "media-downloader",
  "policies",
];

let copy: string;
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), "pipeline-add-environment-"));
  for (const path of COPIED) cpSync(join(ROOT, path), join(copy, path), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));

  const edit = (file: string, edits: [RegExp, string][]) => {
    let text = readFileSync(join(copy, file), "utf8");
    for (const [pattern, replacement] of edits) {
      expect([file, pattern.source, pattern.test(text)]).toEqual([file, pattern.source, true]);
      text = text.replace(pattern, replacement);
    }
    return text;
  };
  writeFileSync(
    join(copy, "config/qa.ts"),
    edit("config/staging.ts", [
      [/export const staging\b/, "export const qa"],
      [/environment: "staging"/, 'environment: "qa"'],
      [/stack: "staging-stack"/, 'stack: "qa-stack"'],
      [/prefix: "stag"/, 'prefix: "qa"'],
      [/stateBackend\("staging"\)/, 'stateBackend("qa")'],
      [/stageName: "staging"/, 'stageName: "qa"'],
      [/shared\("staging"\)/, 'shared("qa")'],
      [/secrets\.staging\.enc\.yaml/, "secrets.qa.enc.yaml"],
    ]),
  );
  writeFileSync(
    join(copy, "config/index.ts"),
    `import { qa } from "./qa";\n${edit("config/index.ts", [
      [/export const ENVIRONMENT_INPUTS = \{ ([^}]*) \}/, "export const ENVIRONMENT_INPUTS = { $1, qa }"],
    ])}`,
  );
  writeFileSync(
    join(copy, "config/releases.ts"),
    edit("config/releases.ts", [
      [/production: undefined,\n/, "production: undefined,\n  qa: undefined,\n"],
      [/production: \["staging"\],\n/, 'qa: ["staging"],\n  production: ["qa"],\n'],
    ]),
  );
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

function matrix(args: string[]): Record<string, unknown> {
  const result = spawnSync(
    process.execPath,
    ["-r", "./lib/transpile/register.cjs", "scripts/pipeline-matrix.ts", "--github", ...args],
    { cwd: copy, env: { ...process.env, MEDIA_DOWNLOADER_RELEASE: "" }, encoding: "utf8" },
  );
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return Object.fromEntries(
    result.stdout
      .trim()
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf("=")), JSON.parse(line.slice(line.indexOf("=") + 1))]),
  );
}

test("pull requests plan it: gated by staging, with substituted secrets in pr-qa-plan", () => {
  const plans = matrix([])["pr-plans"] as PrPlanEntry[];
  expect(plans.map((p) => p.environment)).toEqual(["staging", "qa", "production"]);
  expect(plans[1]).toEqual({
    environment: "qa",
    stack: "qa-stack",
    "plan-environment": "pr-qa-plan",
    secrets: "substituted",
  });
});

test("the drift check plans it in qa-plan", () => {
  expect((matrix([]).drift as DriftEntry[]).map((d) => d["plan-environment"])).toEqual([
    "staging-plan",
    "qa-plan",
    "production-plan",
  ]);
});

test("main deploys it after staging and before production, through the committed deploy.yml's job graph", () => {
  const outputs = matrix([]);
  const deploy = parse(readFileSync(join(ROOT, ".github/workflows/deploy.yml"), "utf8")) as {
    jobs: Record<string, { needs?: string | string[]; strategy?: { matrix?: { include?: string } } }>;
  };
  // Which stage job deploys each environment: the job whose matrix reads that stage's output.
  const jobOf = new Map<string, string>();
  for (const [id, job] of Object.entries(deploy.jobs)) {
    const source = /^\$\{\{ fromJSON\(needs\.synth\.outputs\.([\w-]+)\) \}\}$/.exec(
      job.strategy?.matrix?.include ?? "",
    );
    if (!source) continue;
    for (const entry of outputs[source[1]] as StageEntry[]) jobOf.set(entry.environment, id);
  }
  expect([...jobOf.keys()].sort()).toEqual(["production", "qa", "staging"]);
  const before = (id: string): string[] =>
    ([] as string[]).concat(deploy.jobs[id].needs ?? []).flatMap((n) => [n, ...before(n)]);
  expect(before(jobOf.get("qa")!)).toContain(jobOf.get("staging"));
  expect(before(jobOf.get("production")!)).toContain(jobOf.get("qa"));
  // qa's pass record is what production's promotion now needs; it is reviewed like production.
  const qa = Object.values(outputs)
    .flat()
    .find(
      (e) => (e as StageEntry).environment === "qa" && "integration-tests" in (e as object),
    ) as StageEntry;
  expect(qa).toEqual({
    environment: "qa",
    stack: "qa-stack",
    "plan-environment": "qa-plan",
    "integration-tests": true,
  });
});

test("it can be rolled back by name", () => {
  expect(matrix(["--rollback", "qa"]).stage).toEqual([
    { environment: "qa", stack: "qa-stack", "plan-environment": "qa-plan", "integration-tests": true },
  ]);
});
