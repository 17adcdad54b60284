import { loadBootstrap, loadEnvironments } from "../../config";
import { BOOTSTRAP_ENVIRONMENT, bootstrapStacks } from "../../stacks/bootstrap-stack";
import { AWS_PROVIDER_VERSION, ENGINE_VERSION_CONSTRAINT } from "../../stacks/requirements";
import { UserError } from "../cli/cli";
import type { PlanJson } from "./plan-json";

/** What a plan of one stack must show: the stack's Environment tag and the versions the stack pins. */
export interface StackIdentity {
  readonly stack: string;
  /** The Environment default tag of the stack's AWS providers. */
  readonly environment: string;
  readonly awsProviderVersion: string;
  /** `>= x.y.z`, as the stacks' `required_version`. */
  readonly engineConstraint: string;
}

/** The identity of a stack of the app, by id (config's environments, then each account's bootstrap stack). */
export function stackIdentity(stack: string): StackIdentity {
  const environments = loadEnvironments();
  const tags = new Map<string, string>(Object.values(environments).map((c) => [c.stack, c.environment]));
  for (const { id } of bootstrapStacks(loadBootstrap(environments))) tags.set(id, BOOTSTRAP_ENVIRONMENT);
  const environment = tags.get(stack);
  if (environment === undefined)
    throw new UserError(
      `--stack: unknown stack '${stack}'; the app's stacks are ${[...tags.keys()].join(", ")}`,
    );
  return {
    stack,
    environment,
    awsProviderVersion: AWS_PROVIDER_VERSION,
    engineConstraint: ENGINE_VERSION_CONSTRAINT,
  };
}

interface ProviderConfig {
  readonly full_name?: string;
  readonly version_constraint?: string;
  readonly expressions?: {
    readonly default_tags?: { tags?: { constant_value?: Record<string, unknown> } }[];
  };
}

/** `1.11.4` against `>= 1.10.0` (the only shape the stacks declare; anything else is a bug here). */
function satisfies(version: string, constraint: string): boolean {
  const minimum = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(constraint);
  if (!minimum) throw new Error(`unsupported engine version constraint ${constraint}`);
  const parts = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!parts) return false;
  for (let i = 1; i <= 3; i++) {
    if (Number(parts[i]) !== Number(minimum[i])) return Number(parts[i]) > Number(minimum[i]);
  }
  return true;
}

/**
 * Why a plan (`show -json`) is not a plan of `identity.stack`: one line each, naming the file. A plan
 * names its stack through its AWS providers' Environment default tag (both engines write
 * `configuration.provider_config`), its engine through `terraform_version` (OpenTofu writes its own version
 * there) and the provider through each AWS provider's `version_constraint`.
 */
export function stackIdentityProblems(plan: PlanJson, file: string, identity: StackIdentity): string[] {
  const providers = (plan.configuration as { provider_config?: Record<string, ProviderConfig> } | undefined)
    ?.provider_config;
  const aws = Object.entries(providers ?? {}).filter(([, p]) =>
    /(^|\/)hashicorp\/aws$/.test(p.full_name ?? ""),
  );
  if (aws.length === 0)
    return [
      `${file}: no AWS provider configuration (configuration.provider_config), so it cannot show it is a plan of ${identity.stack}; give the full output of \`show -json <planfile>\``,
    ];
  const problems: string[] = [];
  const environments = [
    ...new Set(
      aws.map(([, p]) => String(p.expressions?.default_tags?.[0]?.tags?.constant_value?.Environment)),
    ),
  ];
  if (environments.length !== 1 || environments[0] !== identity.environment)
    problems.push(
      `${file}: a plan of the ${environments.join(", ")} environment, not of ${identity.stack} (Environment ${identity.environment}); plan ${identity.stack} or pass the --stack this plan belongs to`,
    );
  for (const [name, p] of aws) {
    if (p.version_constraint !== identity.awsProviderVersion)
      problems.push(
        `${file}: provider ${name} is constrained to ${p.version_constraint ?? "nothing"}, but ${identity.stack} pins hashicorp/aws ${identity.awsProviderVersion}; plan it again from this commit's synth`,
      );
  }
  if (!satisfies(plan.terraform_version ?? "", identity.engineConstraint))
    problems.push(
      `${file}: made by engine version ${plan.terraform_version ?? "(none)"}, but ${identity.stack} requires ${identity.engineConstraint}; plan it with a supported Terraform or OpenTofu`,
    );
  return problems;
}

/** Throws a UserError listing every reason the plan is not one of `stack`. */
export function assertPlanOfStack(plan: PlanJson, file: string, stack: string): void {
  const problems = stackIdentityProblems(plan, file, stackIdentity(stack));
  if (problems.length === 1) throw new UserError(problems[0]);
  if (problems.length > 1)
    throw new UserError(`not a plan of ${stack}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
}
