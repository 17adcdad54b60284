import { COMPLIANT, NOT_APPLICABLE, nonCompliant, type PolicyRule, type ResourceView } from "../types";

/** Log groups: every one expires its events (retention_in_days set, not 0 = "never expire"). */
export const logRetentionRule: PolicyRule = {
  id: "log-retention",
  reason: "log groups set retention_in_days",
  evaluate(resource: ResourceView) {
    if (resource.kind !== "resource" || resource.type !== "aws_cloudwatch_log_group") return NOT_APPLICABLE;
    if (resource.unknown.has("retention_in_days")) return COMPLIANT;
    const days = resource.values.retention_in_days;
    if (typeof days === "number" && days > 0) return COMPLIANT;
    // A token at synth (a variable, a reference) is a setting; the plan sees its value.
    if (typeof days === "string" && days.startsWith("${")) return COMPLIANT;
    return nonCompliant(`retention_in_days is ${JSON.stringify(days ?? null)}`);
  },
};
