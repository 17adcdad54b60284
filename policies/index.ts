import { writeFileSync } from "node:fs";
import { Aspects, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { policyContextOf } from "./context";
import { RULES } from "./rules";
import { PolicyAspect } from "./synth/aspect";
import { PolicyError, type PolicyContext, type PolicyRule } from "./types";

export { policyContextOf, requiredTags } from "./context";
export { IAM_WILDCARD_RESOURCE_EXCEPTIONS } from "./iam-wildcard-exceptions";
export { evaluatePolicies } from "./pack";
export { RULES } from "./rules";
export { PolicyAspect, synthViews } from "./synth/aspect";
export * from "./types";

/**
 * When set, applyPolicies writes each stack's policy context ({ "<stack id>": context }) to this file,
 * so a later check of the stack's plan judges it against the same environment (see lib/engine).
 */
export const POLICY_CONTEXT_FILE_ENV = "MEDIA_DOWNLOADER_POLICY_CONTEXT_FILE";

/**
 * Applies the synth-time policy rules to every stack of the app: a PolicyAspect on each stack (cdktf
 * invokes aspects per stack), and an app validation, run after every stack synthesized, that throws one
 * PolicyError listing every violation.
 */
export function applyPolicies(app: IConstruct, rules: readonly PolicyRule[] = RULES): void {
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  const aspects = stacks.map((stack) => {
    const aspect = new PolicyAspect(rules);
    Aspects.of(stack).add(aspect);
    return aspect;
  });
  app.node.addValidation({
    validate: () => {
      const violations = aspects.flatMap((a) => a.violations);
      if (violations.length > 0) throw new PolicyError(violations);
      return [];
    },
  });
  const contextFile = process.env[POLICY_CONTEXT_FILE_ENV];
  if (contextFile) {
    const contexts: Record<string, PolicyContext> = {};
    for (const stack of stacks) {
      const context = policyContextOf(stack);
      if (context) contexts[stack.node.id] = context;
    }
    writeFileSync(contextFile, `${JSON.stringify(contexts, null, 2)}\n`);
  }
}
