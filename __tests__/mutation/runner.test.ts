import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { MUTATIONS } from "../../lib/mutation/mutations";
import { applyMutation, classify, runMutations, summarize, type JestJson } from "../../lib/mutation/runner";

const ROOT = resolve(__dirname, "../..");

const suite = (
  assertions: Array<[string, string, string[]]>,
  extra: Partial<JestJson["testResults"][0]> = {},
) => ({
  testResults: [
    {
      name: "/x/a.test.ts",
      ...extra,
      assertionResults: assertions.map(([fullName, status, failureMessages]) => ({
        fullName,
        status,
        failureMessages,
      })),
    },
  ],
});
const SNAPSHOT_MESSAGE =
  "Error: expect(received).toMatchSnapshot()\n\nSnapshot name: `prod-stack matches the reviewed snapshot 1`\n\n- Snapshot  - 1";

describe("applyMutation", () => {
  test("replaces the one occurrence", () => {
    expect(applyMutation("a: 10,\nb: 2,", { find: "a: 10,", replace: "a: 5," })).toBe("a: 5,\nb: 2,");
  });

  test("refuses text that is missing, or ambiguous without an occurrence", () => {
    expect(applyMutation("a: 1", { find: "b: 1", replace: "b: 2" })).toBeUndefined();
    expect(applyMutation("x; x;", { find: "x;", replace: "y;" })).toBeUndefined();
  });

  test("picks the declared occurrence", () => {
    expect(applyMutation("x; x; x;", { find: "x;", replace: "y;", occurrence: 2 })).toBe("x; y; x;");
    expect(applyMutation("x;", { find: "x;", replace: "y;", occurrence: 2 })).toBeUndefined();
  });
});

describe("classify", () => {
  test("a failing intent test kills the mutation, even next to a snapshot failure", () => {
    const report = suite([
      ["prod-stack matches the reviewed snapshot", "failed", [SNAPSHOT_MESSAGE]],
      ["prod-stack settings 10 reserved concurrent downloads", "failed", ["expect(received).toBe(expected)"]],
    ]);
    expect(classify(report)).toEqual({
      outcome: "killed",
      failures: ["prod-stack settings 10 reserved concurrent downloads"],
    });
  });

  test("only snapshot failures: caught only by snapshots", () => {
    const report = suite([
      ["prod-stack matches the reviewed snapshot", "failed", [SNAPSHOT_MESSAGE]],
      ["prod-stack other", "passed", []],
    ]);
    expect(classify(report).outcome).toBe("snapshot-only");
  });

  test("everything passing: survived", () => {
    expect(classify(suite([["t", "passed", []]])).outcome).toBe("survived");
  });

  test("a suite that fails to load (a synth or policy error) kills it", () => {
    const report = suite([], {
      status: "failed",
      message: "\n  ● Test suite failed to run\n\npolicy violation",
    });
    expect(classify(report)).toEqual({
      outcome: "killed",
      failures: ["/x/a.test.ts: ● Test suite failed to run"],
    });
  });
});

describe("runMutations", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mutation-runner-test-"));
    writeFileSync(join(dir, "config.ts"), "export const n = 10;\n");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("runs the tests on the mutated file, then restores it; missing text is stale", () => {
    const seen: string[] = [];
    const results = runMutations(
      dir,
      [
        {
          id: "n",
          property: "n is 10",
          file: "config.ts",
          find: "n = 10",
          replace: "n = 5",
          tests: ["t.test.ts"],
        },
        {
          id: "gone",
          property: "p",
          file: "config.ts",
          find: "m = 1",
          replace: "m = 2",
          tests: ["t.test.ts"],
        },
      ],
      undefined,
      (d, tests) => {
        seen.push(`${readFileSync(join(d, "config.ts"), "utf8").trim()} ${tests.join(",")}`);
        return suite([["n is 10", "passed", []]]);
      },
    );
    expect(seen).toEqual(["export const n = 5; t.test.ts"]);
    expect(readFileSync(join(dir, "config.ts"), "utf8")).toBe("export const n = 10;\n");
    expect(results.map((r) => [r.id, r.outcome])).toEqual([
      ["n", "survived"],
      ["gone", "stale"],
    ]);
    const summary = summarize(results, []);
    expect(summary.ok).toBe(false);
    expect(summary.text.split("\n").pop()).toBe("0 killed, 0 caught only by snapshots, 1 survived, 1 stale");
  });
});

describe("the planted regressions", () => {
  test("at least 20, with unique ids, each naming the property it breaks", () => {
    expect(MUTATIONS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(MUTATIONS.map((m) => m.id)).size).toBe(MUTATIONS.length);
    for (const m of MUTATIONS) expect(m.property.length).toBeGreaterThan(5);
  });

  test.each(MUTATIONS.map((m) => [m.id, m] as const))(
    "%s applies to today's source and names existing tests",
    (_id, m) => {
      const source = readFileSync(join(ROOT, m.file), "utf8");
      const mutated = applyMutation(source, m);
      expect(mutated).toBeDefined();
      // One line changes.
      const before = source.split("\n");
      const after = mutated!.split("\n");
      expect(after).toHaveLength(before.length);
      expect(after.filter((line, i) => line !== before[i])).toHaveLength(1);
      for (const test of m.tests) expect([test, existsSync(join(ROOT, test))]).toEqual([test, true]);
    },
  );
});
