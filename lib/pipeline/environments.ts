import { UserError } from "../cli/cli";

/**
 * The pipeline's jobs, computed from config: which environments pull requests plan (and how), which the
 * drift check plans, and in which stages main deploys them (config/releases.ts PROMOTION). The workflows
 * read this as JSON (`npm run pipeline:matrix`) and run one matrix leg per environment, so adding an
 * environment to config adds its jobs without a YAML change.
 *
 * The GitHub environment names follow one rule, shared with the bootstrap's plan-role trust
 * (config/bootstrap.ts): `<environment>` deploys (deploy role, age key, reviewers when gated),
 * `<environment>-plan` plans on main (reviewed plan, drift) with that environment's plan role and key,
 * `pr-<environment>-plan` plans a gated environment in pull requests (plan role, no key, reviewers).
 */

/** What a stage's deploy of one environment needs (.github/workflows/_stage.yml inputs). */
export interface StageEntry {
  readonly environment: string;
  readonly stack: string;
  /** GitHub environment of the reviewed plan before the apply ('' = none: a first stage applies directly). */
  readonly "plan-environment": string;
  /** Run the integration tests and record the pass: another environment's promotion needs it. */
  readonly "integration-tests": boolean;
}

/** One pull-request plan (.github/workflows/_pr-plan.yml inputs). */
export interface PrPlanEntry {
  readonly environment: string;
  readonly stack: string;
  /** The GitHub environment the plan job runs in (its plan role, and its key when `secrets` is real). */
  readonly "plan-environment": string;
  /**
   * real: the environment's own key (a first stage: anyone who can merge already deploys to it).
   * substituted: fake secrets, never the key: pull-request code must not reach a gated environment's key.
   */
  readonly secrets: "real" | "substituted";
}

/** One drift check (main's plan environment, real key). */
export interface DriftEntry {
  readonly environment: string;
  readonly stack: string;
  readonly "plan-environment": string;
}

export interface Pipeline {
  readonly prPlans: readonly PrPlanEntry[];
  readonly drift: readonly DriftEntry[];
  /** stages[0] deploys first; every environment comes after every environment its promotion needs. */
  readonly stages: readonly (readonly StageEntry[])[];
}

/**
 * How many stage jobs deploy.yml has (stage-1 ... stage-N). A longer promotion chain needs one more job
 * there; the matrix refuses it until then. Tests keep this equal to deploy.yml.
 */
export const MAX_STAGES = 4;

export interface PipelineInput {
  /** Environment name (config key) → its stack id. */
  readonly stacks: Readonly<Record<string, string>>;
  /** config/releases.ts PROMOTION: environment → the environments its release must pass first. */
  readonly promotion: Readonly<Record<string, readonly string[]>>;
}

export const planEnvironment = (environment: string) => `${environment}-plan`;
export const prPlanEnvironment = (environment: string) => `pr-${environment}-plan`;

/** Gated: its release must pass another environment first; it deploys only after a reviewed plan. */
const isGated = (input: PipelineInput, environment: string) =>
  (input.promotion[environment] ?? []).length > 0;

/** The GitHub environments whose jobs assume `environment`'s plan role (the bootstrap trusts exactly these). */
export function planEnvironmentsOf(input: PipelineInput, environment: string): string[] {
  return isGated(input, environment)
    ? [prPlanEnvironment(environment), planEnvironment(environment)]
    : [planEnvironment(environment)];
}

/** Deploy stages from PROMOTION: one line for an unknown environment, a missing entry or a cycle. */
export function promotionStages(input: PipelineInput): string[][] {
  const names = Object.keys(input.stacks);
  const problems: string[] = [];
  for (const name of names)
    if (!Object.hasOwn(input.promotion, name))
      problems.push(`config/releases.ts: PROMOTION has no entry for ${name} (use [] for a first stage)`);
  for (const [name, gates] of Object.entries(input.promotion)) {
    if (!names.includes(name))
      problems.push(`config/releases.ts: PROMOTION.${name}: no environment named ${name}`);
    for (const gate of gates)
      if (!names.includes(gate))
        problems.push(`config/releases.ts: PROMOTION.${name}: no environment named ${gate}`);
  }
  if (problems.length > 0) throw new UserError(problems.join("\n"));
  const stages: string[][] = [];
  const placed = new Set<string>();
  while (placed.size < names.length) {
    const ready = names.filter(
      (n) => !placed.has(n) && (input.promotion[n] ?? []).every((gate) => placed.has(gate)),
    );
    if (ready.length === 0)
      throw new UserError(
        `config/releases.ts: PROMOTION has a cycle among ${names.filter((n) => !placed.has(n)).join(", ")}`,
      );
    stages.push(ready);
    for (const n of ready) placed.add(n);
  }
  if (stages.length > MAX_STAGES)
    throw new UserError(
      `config/releases.ts: PROMOTION needs ${stages.length} deploy stages; .github/workflows/deploy.yml has ${MAX_STAGES} (add a stage-${MAX_STAGES + 1} job there and raise MAX_STAGES in lib/pipeline/environments.ts)`,
    );
  return stages;
}

export function pipeline(input: PipelineInput): Pipeline {
  const stages = promotionStages(input);
  const names = stages.flat();
  const needed = new Set(Object.values(input.promotion).flat());
  return {
    prPlans: names.map((environment) => ({
      environment,
      stack: input.stacks[environment],
      "plan-environment": isGated(input, environment)
        ? prPlanEnvironment(environment)
        : planEnvironment(environment),
      secrets: isGated(input, environment) ? "substituted" : "real",
    })),
    drift: names.map((environment) => ({
      environment,
      stack: input.stacks[environment],
      "plan-environment": planEnvironment(environment),
    })),
    stages: stages.map((stage) =>
      stage.map((environment) => ({
        environment,
        stack: input.stacks[environment],
        "plan-environment": isGated(input, environment) ? planEnvironment(environment) : "",
        "integration-tests": needed.has(environment),
      })),
    ),
  };
}

/** The one stage entry a rollback of `environment` runs; one line for an unknown name. */
export function rollbackEntry(input: PipelineInput, environment: string): StageEntry {
  const entry = pipeline(input)
    .stages.flat()
    .find((e) => e.environment === environment);
  if (!entry)
    throw new UserError(
      `unknown environment ${JSON.stringify(environment)}; expected one of ${Object.keys(input.stacks).join(", ")}`,
    );
  return entry;
}

/**
 * The job outputs, as `name=<json>` lines for $GITHUB_OUTPUT: pr-plans, drift, stage-1 ... stage-N
 * (an empty list for a stage the promotion does not use: its job is skipped).
 */
export function githubOutputs(p: Pipeline): string[] {
  const lines = [`pr-plans=${JSON.stringify(p.prPlans)}`, `drift=${JSON.stringify(p.drift)}`];
  for (let i = 0; i < MAX_STAGES; i++) lines.push(`stage-${i + 1}=${JSON.stringify(p.stages[i] ?? [])}`);
  return lines;
}

/** One GitHub environment the pipeline uses, with the settings a maintainer creates it with. */
export interface GitHubEnvironment {
  readonly name: string;
  /** Whose SOPS_AGE_KEY the environment holds (an environment secret), or undefined for none. */
  readonly ageKeyOf?: string;
  /** The environment variable holding the role its jobs assume, and the bootstrap output giving it. */
  readonly roleVariable: "AWS_DEPLOY_ROLE_ARN" | "AWS_PLAN_ROLE_ARN";
  readonly roleOutput: string;
  /** Deployment branches: `main` only, or all branches (pull-request plans). */
  readonly branches: "main" | "all";
  /** Required reviewers, with "Prevent self-review" on (whoever pushed the change cannot approve it). */
  readonly reviewers: boolean;
  readonly usedBy: string;
}

/**
 * Every GitHub environment the workflows run in, from config: the repository settings the pipeline needs
 * (GitHub creates a referenced environment on first use, with no protection: create these first).
 */
export function githubEnvironments(input: PipelineInput): GitHubEnvironment[] {
  return promotionStages(input)
    .flat()
    .flatMap((environment): GitHubEnvironment[] => {
      const gated = isGated(input, environment);
      const plan = (name: string, usedBy: string, extra: Partial<GitHubEnvironment>): GitHubEnvironment => ({
        name,
        roleVariable: "AWS_PLAN_ROLE_ARN",
        roleOutput: `plan_role_arn_${environment}`,
        branches: "main",
        reviewers: false,
        usedBy,
        ...extra,
      });
      return [
        ...(gated
          ? [
              plan(prPlanEnvironment(environment), "PR plan (substituted secrets)", {
                branches: "all",
                reviewers: true,
              }),
              plan(planEnvironment(environment), "plan before approval, rollback plan, drift", {
                ageKeyOf: environment,
              }),
            ]
          : [
              plan(planEnvironment(environment), "PR plan, drift", {
                ageKeyOf: environment,
                branches: "all",
              }),
            ]),
        {
          name: environment,
          ageKeyOf: environment,
          roleVariable: "AWS_DEPLOY_ROLE_ARN",
          roleOutput: `deploy_role_arn_${environment}`,
          branches: "main",
          reviewers: gated,
          usedBy: gated ? "apply after approval" : "apply, integration tests, pass record",
        },
      ];
    });
}
