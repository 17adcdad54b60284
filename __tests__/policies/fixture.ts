import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import type { Construct } from "constructs";
import { PolicyError, applyPolicies, type PolicyContext, type Violation } from "../../policies";

export const PRODUCTION: PolicyContext = {
  environment: "production",
  prefix: "prod",
  deletionProtection: true,
};
export const STAGING: PolicyContext = { environment: "staging", prefix: "stag", deletionProtection: false };

export function tagsFor(context: PolicyContext): Record<string, string> {
  return { Environment: context.environment, Project: "media-downloader", ManagedBy: "cdktf" };
}

/** A small stack shaped like MediaDownloaderStack for the policies: a public `config` and tagged providers. */
export class FixtureStack extends TerraformStack {
  readonly provider: AwsProvider;

  constructor(
    scope: Construct,
    id: string,
    readonly config: PolicyContext,
    options: { defaultTags?: Record<string, string> | null } = {},
  ) {
    super(scope, id);
    const tags = options.defaultTags === undefined ? tagsFor(config) : options.defaultTags;
    this.provider = new AwsProvider(this, "aws", {
      region: "us-west-2",
      defaultTags: tags ? [{ tags }] : undefined,
    });
  }
}

/**
 * Builds a fixture stack, applies the policies and synthesizes the app as main.ts does; returns the
 * violations of the PolicyError synth throws (none when synth succeeds).
 */
export function synthViolations(
  build: (stack: FixtureStack) => void,
  context: PolicyContext = PRODUCTION,
  options: { defaultTags?: Record<string, string> | null } = {},
): Violation[] {
  const app = Testing.app();
  const stack = new FixtureStack(app, "fixture", context, options);
  build(stack);
  applyPolicies(app);
  try {
    app.synth();
    return [];
  } catch (error) {
    if (error instanceof PolicyError) return [...error.violations];
    throw error;
  }
}

/** `[rule id, construct path]` pairs, for compact assertions. */
export function found(violations: readonly Violation[]): [string, string][] {
  return violations.map((v) => [v.ruleId, v.path]);
}
