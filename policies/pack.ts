import { RULES } from "./rules";
import type { PolicyContext, PolicyRule, ResourceView, Violation } from "./types";

/** Runs every rule on every view; returns the violations in view order, then rule order. */
export function evaluatePolicies(
  views: Iterable<ResourceView>,
  context: PolicyContext,
  rules: readonly PolicyRule[] = RULES,
): Violation[] {
  const violations: Violation[] = [];
  const all = [...views];
  for (const view of all) {
    for (const rule of rules) {
      const verdict = rule.evaluate(view, context, all);
      if (verdict.compliance === "non-compliant")
        violations.push({ ruleId: rule.id, path: view.path, reason: rule.reason, detail: verdict.detail });
    }
  }
  return violations;
}
