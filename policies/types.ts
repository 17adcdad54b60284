/**
 * The shapes every policy rule shares. A rule sees one resource (or provider) as a `ResourceView`: its
 * attributes in Terraform's snake_case, as synthesized (synth time) or as planned (`terraform show -json`),
 * so one rule definition serves both stages.
 */

/** What the rules need to know about the environment a stack deploys. */
export interface PolicyContext {
  /** Environment name, the expected value of the Environment tag (e.g. "production"). */
  readonly environment: string;
  /** Name prefix every named resource carries as a token (e.g. "prod"). */
  readonly prefix: string;
  /** Data stores must be protected against deletion. */
  readonly deletionProtection: boolean;
  /** The permissions boundary (ARN) every IAM role of the stack must carry; undefined: none required. */
  readonly permissionsBoundary?: string;
}

export type Stage = "synth" | "plan";

export interface ResourceView {
  readonly stage: Stage;
  /** A managed resource, a data source, or a provider configuration. */
  readonly kind: "resource" | "data" | "provider";
  /** Terraform type (`aws_s3_bucket`), or the provider's local name (`aws`) for providers. */
  readonly type: string;
  /** Where to look: the construct path at synth, the resource address (or `provider.<key>`) at plan. */
  readonly path: string;
  /** The Terraform address (`aws_lambda_function.fn`, `data.x.y`), for rules that follow references. */
  readonly address?: string;
  /**
   * Attributes, snake_case. At synth: the resolved configuration (references stay `${...}` strings,
   * `Fn.jsonencode` stays a `${jsonencode(...)}` expression). At plan: the planned values; an attribute
   * unknown until apply holds its configuration expression when the plan records one.
   */
  readonly values: Readonly<Record<string, unknown>>;
  /** Top-level attributes whose planned value is unknown until apply (always empty at synth). */
  readonly unknown: ReadonlySet<string>;
  /** `lifecycle.prevent_destroy`; undefined when the stage cannot tell (a plan checked without its configuration). */
  readonly preventDestroy?: boolean;
  /**
   * The block's "//" comment at synth (cdktf metadata plus anything a construct recorded for the policies,
   * such as a function's declared sizes); Terraform ignores it, so plans never carry it.
   */
  readonly comment?: Readonly<Record<string, unknown>>;
  /** Default tags of the provider configuration the resource uses (undefined: none configured). */
  readonly providerDefaultTags?: Readonly<Record<string, unknown>>;
}

export type Verdict =
  | { readonly compliance: "compliant" }
  | { readonly compliance: "not-applicable" }
  | { readonly compliance: "non-compliant"; readonly detail: string };

export const COMPLIANT: Verdict = { compliance: "compliant" };
export const NOT_APPLICABLE: Verdict = { compliance: "not-applicable" };
export function nonCompliant(detail: string): Verdict {
  return { compliance: "non-compliant", detail };
}

/** One policy: an id, the reason it exists, and a pure function judging one resource. */
export interface PolicyRule {
  readonly id: string;
  readonly reason: string;
  /** `stack`: every view of the same stack, for rules that judge a resource against what it references. */
  evaluate(resource: ResourceView, context: PolicyContext, stack?: readonly ResourceView[]): Verdict;
}

export interface Violation {
  readonly ruleId: string;
  /** Construct path (synth) or resource address (plan). */
  readonly path: string;
  readonly reason: string;
  /** What exactly is wrong with this resource. */
  readonly detail: string;
}

export function formatViolation(v: Violation): string {
  return `${v.ruleId} ${v.path}: ${v.reason} (${v.detail})`;
}

/** A policy violation; the CLI prints its message alone (see lib/cli/cli.ts). */
export class PolicyError extends Error {
  constructor(readonly violations: readonly Violation[]) {
    super(
      `${violations.length} policy violation(s):\n${violations.map((v) => `  ${formatViolation(v)}`).join("\n")}`,
    );
    this.name = "PolicyError";
  }
}
