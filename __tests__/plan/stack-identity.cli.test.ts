import { runScript } from "../helpers/scripts";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { PlanJson } from "../../lib/plan/plan-json";
import { stackIdentity, stackIdentityProblems } from "../../lib/plan/stack-identity";
import { loadBootstrap } from "../../config";
import { bootstrapStacks } from "../../stacks/bootstrap-stack";
import { AWS_PROVIDER_VERSION } from "../../stacks/requirements";
import { environments } from "../helpers/environments";

/**
 * The plan commands refuse a plan of another stack than the one they are told, and one made with other
 * engine or provider versions than the stack pins. state-plan.json is a real plan whose AWS provider
 * carries staging-stack's default tags (fixtures/plans/make-state-plan.ts).
 */
const ROOT = resolve(__dirname, "../..");
const STATE_PLAN = join(ROOT, "__tests__/fixtures/plans/state-plan.json");
const statePlan = JSON.parse(readFileSync(STATE_PLAN, "utf8")) as PlanJson;
const envs = Object.values(environments());
const planned = envs.find((c) => c.environment === "staging")!;
// Every other stack of the app: each environment's and each account's bootstrap stack.
const others = [
  ...envs.filter((c) => c !== planned).map((c) => c.stack),
  ...bootstrapStacks(loadBootstrap(environments())).map((s) => s.id),
];

const run = runScript;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stack-identity-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ["plan:render", "plan-render.ts", [] as string[]],
  ["plan:fingerprint", "plan-fingerprint.ts", []],
  ["plan:check", "plan-check.ts", []],
])("%s", (_name, script, extra) => {
  test("refuses another stack's plan in one line, exit 1, nothing on stdout", () => {
    const other = others[0];
    const result = run(script, [STATE_PLAN, "--stack", other, ...extra]);
    expect(result.stderr).toBe(
      `error: ${STATE_PLAN}: a plan of the staging environment, not of ${other} (Environment ${stackIdentity(other).environment}); plan ${other} or pass the --stack this plan belongs to\n`,
    );
    expect(result.stdout).toBe("");
    expect(result.status).toBe(1);
  });

  test("refuses a plan made with another provider version", () => {
    const plan = structuredClone(statePlan) as PlanJson & {
      configuration: { provider_config: Record<string, { version_constraint: string }> };
    };
    plan.configuration.provider_config.aws.version_constraint = "6.0.0";
    const file = join(dir, `${script}-provider.json`);
    writeFileSync(file, JSON.stringify(plan));
    const result = run(script, [file, "--stack", planned.stack]);
    expect(result.stderr).toBe(
      `error: ${file}: provider aws is constrained to 6.0.0, but ${planned.stack} pins hashicorp/aws ${AWS_PROVIDER_VERSION}; plan it again from this commit's synth\n`,
    );
    expect(result.status).toBe(1);
  });
});

test("every stack of the app is told apart from every other by its plan's Environment tag", () => {
  const tagged = (environment: string): PlanJson => {
    const plan = structuredClone(statePlan) as PlanJson & {
      configuration: { provider_config: Record<string, { expressions: Record<string, unknown> }> };
    };
    plan.configuration.provider_config.aws.expressions.default_tags = [
      { tags: { constant_value: { Environment: environment } } },
    ];
    return plan;
  };
  const stacks = [planned.stack, ...others];
  for (const owner of stacks) {
    const plan = tagged(stackIdentity(owner).environment);
    for (const told of stacks) {
      const problems = stackIdentityProblems(plan, "plan.json", stackIdentity(told));
      // Several bootstrap stacks (one per account) share the Environment tag "bootstrap".
      if (stackIdentity(told).environment === stackIdentity(owner).environment) expect(problems).toEqual([]);
      else
        expect(problems).toEqual([
          expect.stringMatching(/^plan\.json: a plan of the \S+ environment, not of /),
        ]);
    }
  }
});

test("an engine older than the stack's required_version, and a plan without provider configuration", () => {
  const identity = stackIdentity(planned.stack);
  expect(stackIdentityProblems({ ...statePlan, terraform_version: "1.9.8" }, "plan.json", identity)).toEqual([
    `plan.json: made by engine version 1.9.8, but ${planned.stack} requires >= 1.10.0; plan it with a supported Terraform or OpenTofu`,
  ]);
  expect(stackIdentityProblems({ ...statePlan, terraform_version: "1.10.0" }, "plan.json", identity)).toEqual(
    [],
  );
  expect(stackIdentityProblems({ ...statePlan, terraform_version: "2.0.0" }, "plan.json", identity)).toEqual(
    [],
  );
  const bare = { ...statePlan, configuration: undefined };
  expect(stackIdentityProblems(bare, "plan.json", identity)).toEqual([
    `plan.json: no AWS provider configuration (configuration.provider_config), so it cannot show it is a plan of ${planned.stack}; give the full output of \`show -json <planfile>\``,
  ]);
});

test("an unknown stack is one line listing the app's stacks", () => {
  const result = run("plan-check.ts", [STATE_PLAN, "--stack", "stagign-stack"]);
  expect(result.stderr).toBe(
    `error: --stack: unknown stack 'stagign-stack'; the app's stacks are ${[...envs.map((c) => c.stack), ...others.filter((id) => !envs.some((c) => c.stack === id))].join(", ")}\n`,
  );
  expect(result.status).toBe(1);
});
