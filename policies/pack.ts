import { RULES } from "./rules";
import type { PolicyContext, PolicyRule, ResourceView, Violation } from "./types";

/** Runs every rule on every view; returns the violations in view order, then rule order. */
export function evaluatePolicies(
  views: Iterable<ResourceView>,
  context: PolicyContext,
  rules: readonly PolicyRule[] = RULES,
): Violation[] {
  const violations: Violation[] = [];
  for (const view of views) {
    for (const rule of rules) {
      const verdict = rule.evaluate(view, context);
      if (verdict.compliance === "non-compliant")
        violations.push({ ruleId: rule.id, path: view.path, reason: rule.reason, detail: verdict.detail });
    }
  }
  return violations;
}
