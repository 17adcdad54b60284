import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { PROMOTION } from "../../config/releases";
import { environments } from "../helpers/environments";
import {
  MAX_STAGES,
  githubEnvironments,
  githubOutputs,
  pipeline,
  planEnvironmentsOf,
  promotionStages,
  rollbackEntry,
  type PipelineInput,
} from "../../lib/pipeline/environments";

/** The pipeline's jobs from config: stages in PROMOTION order, plan environments, clear errors. */

const chain = (names: string[]): PipelineInput => ({
  stacks: Object.fromEntries(names.map((n) => [n, `${n}-stack`])),
  promotion: Object.fromEntries(names.map((n, i) => [n, i === 0 ? [] : [names[i - 1]]])),
});

test("stages follow PROMOTION: every environment after every environment its release must pass", () => {
  expect(promotionStages(chain(["staging", "production"]))).toEqual([["staging"], ["production"]]);
  expect(promotionStages(chain(["dev", "staging", "qa", "production"]))).toEqual([
    ["dev"],
    ["staging"],
    ["qa"],
    ["production"],
  ]);
  // Two environments gated by the same one deploy side by side, in config order.
  const fanOut: PipelineInput = {
    stacks: { staging: "s", eu: "e", us: "u" },
    promotion: { us: ["staging"], staging: [], eu: ["staging"] },
  };
  expect(promotionStages(fanOut)).toEqual([["staging"], ["eu", "us"]]);
});

test("a first stage plans with its key in pull requests and applies directly; a gated one is reviewed", () => {
  const p = pipeline(chain(["staging", "qa", "production"]));
  expect(p.prPlans).toEqual([
    { environment: "staging", stack: "staging-stack", "plan-environment": "staging-plan", secrets: "real" },
    { environment: "qa", stack: "qa-stack", "plan-environment": "pr-qa-plan", secrets: "substituted" },
    {
      environment: "production",
      stack: "production-stack",
      "plan-environment": "pr-production-plan",
      secrets: "substituted",
    },
  ]);
  expect(p.stages.flat().map((e) => [e.environment, e["plan-environment"], e["integration-tests"]])).toEqual([
    ["staging", "", true],
    ["qa", "qa-plan", true],
    ["production", "production-plan", false],
  ]);
  expect(p.drift.map((d) => d["plan-environment"])).toEqual(["staging-plan", "qa-plan", "production-plan"]);
});

test("each environment's plan role serves exactly the GitHub environments its plans run in", () => {
  const input = chain(["staging", "production"]);
  expect(planEnvironmentsOf(input, "staging")).toEqual(["staging-plan"]);
  expect(planEnvironmentsOf(input, "production")).toEqual(["pr-production-plan", "production-plan"]);
  const p = pipeline(input);
  for (const name of Object.keys(input.stacks)) {
    const used = [
      ...p.prPlans.filter((e) => e.environment === name).map((e) => e["plan-environment"]),
      ...p.drift.filter((e) => e.environment === name).map((e) => e["plan-environment"]),
      ...p.stages
        .flat()
        .filter((e) => e.environment === name && e["plan-environment"])
        .map((e) => e["plan-environment"]),
    ];
    expect([name, [...new Set(used)].sort()]).toEqual([name, planEnvironmentsOf(input, name).sort()]);
  }
});

test("bad promotions are one line each, naming config/releases.ts", () => {
  expect(() => promotionStages({ stacks: { a: "a", b: "b" }, promotion: { a: [] } })).toThrow(
    "config/releases.ts: PROMOTION has no entry for b (use [] for a first stage)",
  );
  expect(() => promotionStages({ stacks: { a: "a" }, promotion: { a: ["ghost"] } })).toThrow(
    "config/releases.ts: PROMOTION.a: no environment named ghost",
  );
  expect(() => promotionStages({ stacks: { a: "a", b: "b" }, promotion: { a: ["b"], b: ["a"] } })).toThrow(
    "config/releases.ts: PROMOTION has a cycle among a, b",
  );
  const long = chain(Array.from({ length: MAX_STAGES + 1 }, (_, i) => `env${i}`));
  expect(() => promotionStages(long)).toThrow(
    `config/releases.ts: PROMOTION needs ${MAX_STAGES + 1} deploy stages; .github/workflows/deploy.yml has ${MAX_STAGES} (add a stage-${MAX_STAGES + 1} job there and raise MAX_STAGES in lib/pipeline/environments.ts)`,
  );
});

test("GitHub outputs: one line per list, every stage job's list present (empty when unused)", () => {
  const lines = githubOutputs(pipeline(chain(["staging", "production"])));
  expect(lines.map((l) => l.split("=")[0])).toEqual([
    "pr-plans",
    "drift",
    ...Array.from({ length: MAX_STAGES }, (_, i) => `stage-${i + 1}`),
  ]);
  for (const line of lines) expect(line).not.toContain("\n");
  expect(lines[lines.length - 1]).toBe(`stage-${MAX_STAGES}=[]`);
  expect(JSON.parse(lines[2].slice("stage-1=".length))).toEqual([
    { environment: "staging", stack: "staging-stack", "plan-environment": "", "integration-tests": true },
  ]);
});

test("a rollback runs its environment's own stage entry; an unknown name is one line", () => {
  const input = chain(["staging", "production"]);
  expect(rollbackEntry(input, "production")).toEqual(pipeline(input).stages[1][0]);
  expect(() => rollbackEntry(input, "prod")).toThrow(
    'unknown environment "prod"; expected one of staging, production',
  );
});

describe("the GitHub environments to create", () => {
  const committed: PipelineInput = {
    stacks: Object.fromEntries(Object.entries(environments()).map(([n, c]) => [n, c.stack])),
    promotion: PROMOTION,
  };

  test("a gated environment's PR plan and deploy environments have reviewers with prevent self-review", () => {
    const byName = new Map(githubEnvironments(committed).map((e) => [e.name, e]));
    expect(byName.get("pr-production-plan")).toMatchObject({
      reviewers: true,
      branches: "all",
    });
    expect(byName.get("production")).toMatchObject({
      reviewers: true,
      branches: "main",
      ageKeyOf: "production",
    });
    expect(byName.get("production-plan")).toMatchObject({
      reviewers: false,
      branches: "main",
      ageKeyOf: "production",
    });
    expect(byName.get("staging-plan")).toMatchObject({
      reviewers: false,
      branches: "all",
      ageKeyOf: "staging",
    });
    // Every environment that holds a key is main-only, except a first stage's plan environment.
    for (const e of byName.values())
      if (e.ageKeyOf && e.branches === "all") expect([e.name, e.ageKeyOf]).toEqual([e.name, "staging"]);
  });

  test(".github/README.md lists exactly these, with these settings", () => {
    const readme = readFileSync(resolve(__dirname, "../../.github/README.md"), "utf8");
    const table = readme.slice(readme.indexOf("| Environment "));
    const rows = table
      .split("\n")
      .slice(2)
      .filter((line) => line.startsWith("|"))
      .map((line) =>
        line
          .split("|")
          .slice(1, -1)
          .map((cell) => cell.replace(/[`*]/g, "").trim()),
      );
    const expected = githubEnvironments(committed).map((e) => [
      e.name,
      e.ageKeyOf ? `${e.ageKeyOf} key` : "none",
      `${e.roleVariable} = ${e.roleOutput}`,
      e.branches === "main" ? "main only" : "all branches",
      e.reviewers ? "required, prevent self-review" : "none",
      e.usedBy,
    ]);
    expect(rows).toEqual(expected);
  });
});
