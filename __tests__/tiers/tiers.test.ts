import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import {
  TIERS,
  assignTiers,
  findTestFiles,
  jestTestRegex,
  tierNamed,
  tieringProblems,
  type Tier,
} from "../../lib/tiers/tiers";

const ROOT = resolve(__dirname, "../..");

describe("every test file in the repository is in exactly one tier", () => {
  const files = findTestFiles(ROOT);
  const assignment = assignTiers(files);

  test("no test file is in no tier or in several", () => {
    expect(tieringProblems(assignment)).toEqual([]);
  });

  test("the repository's test files are found (this test file among them, in the quick tier)", () => {
    expect(assignment.byTier.get("quick")).toContain("__tests__/tiers/tiers.test.ts");
    expect(files.length).toBeGreaterThan(50);
  });

  test("the command tests that spawn processes are in the commands tier", () => {
    expect(assignment.byTier.get("commands")).toEqual(
      expect.arrayContaining(["__tests__/cli/help.cli.test.ts", "__tests__/app/synth.cli.test.ts"]),
    );
  });

  test("the engine suites that plan with the real engine are in the engine tier", () => {
    expect(assignment.byTier.get("engine")).toEqual(
      expect.arrayContaining([
        "__tests__/engine/preview.engine.test.ts",
        "__tests__/plan/convergence.engine.test.ts",
        "__tests__/stacks/adoption/adoption-plan.engine.test.ts",
      ]),
    );
  });
});

describe("tiering of new files", () => {
  const tierOf = (file: string) => {
    const a = assignTiers([file]);
    return [...a.byTier].filter(([, files]) => files.length > 0).map(([name]) => name);
  };

  test.each([
    ["__tests__/media-downloader/api.test.ts", "quick"],
    ["__tests__/new-folder/deep/thing.test.ts", "quick"],
    ["__tests__/engine/preview.engine.test.ts", "engine"],
    ["__tests__/new-folder/x.engine.test.ts", "engine"],
    ["__tests__/cli/help.cli.test.ts", "commands"],
    ["__tests__/new-folder/x.cli.test.ts", "commands"],
    ["__tests__/emulated/lifecycle.test.ts", "emulated"],
    ["__tests__/emulated/deep/apply.test.ts", "emulated"],
    // The emulated folder decides, whatever the name says.
    ["__tests__/emulated/plan.engine.test.ts", "emulated"],
  ])("%s is in the %s tier", (file, tier) => {
    expect(tierOf(file)).toEqual([tier]);
  });

  test.each([
    ["a test next to its source", "lib/tiers/tiers.test.ts"],
    ["a .spec file", "__tests__/tiers/tiers.spec.ts"],
    ["a JavaScript test", "__tests__/tiers/tiers.test.js"],
    ["a test file at the repository root", "main.test.ts"],
  ])("%s is in no tier, and the check names it and the conventions", (_, file) => {
    const problems = tieringProblems(assignTiers([file]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(`^${file.replace(/\./g, "\\.")}: in no test tier, so it never runs`),
    );
    expect(problems[0]).toContain("engine: __tests__/**/*.engine.test.ts");
  });

  test("a file two tiers match is reported with both tiers", () => {
    const overlapping: Tier[] = [
      ...TIERS,
      { ...tierNamed("engine")!, name: "everything", pattern: /^__tests__\/.+\.test\.ts$/ },
    ];
    const problems = tieringProblems(assignTiers(["__tests__/a.engine.test.ts"], overlapping), overlapping);
    expect(problems).toEqual([
      "__tests__/a.engine.test.ts: in 2 tiers (engine, everything); a test file belongs to one",
    ]);
  });

  test("an untiered test file on disk fails the repository check (findTestFiles walks every folder)", () => {
    const root = mkdtempSync(join(tmpdir(), "tiers-"));
    try {
      for (const file of [
        "__tests__/ok.test.ts",
        "lib/stray.test.ts",
        "node_modules/pkg/ignored.test.ts",
        "cdktf.out/stacks/ignored.test.ts",
        "__tests__/helpers/not-a-test.ts",
      ]) {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        writeFileSync(join(root, file), "");
      }
      const found = findTestFiles(root);
      expect(found).toEqual(["__tests__/ok.test.ts", "lib/stray.test.ts"]);
      expect(tieringProblems(assignTiers(found))).toEqual([
        expect.stringMatching(/^lib\/stray\.test\.ts: in no test tier/),
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

test("jest's testRegex for a tier is the tier's pattern under the root", () => {
  const regex = new RegExp(jestTestRegex(tierNamed("engine")!, "/work/repo.x"));
  expect(regex.test("/work/repo.x/__tests__/engine/preview.engine.test.ts")).toBe(true);
  expect(regex.test("/work/repo.x/__tests__/engine/preview.test.ts")).toBe(false);
  // The root is matched literally: "." is not any character.
  expect(regex.test("/work/repoXx/__tests__/engine/preview.engine.test.ts")).toBe(false);
});
