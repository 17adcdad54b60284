import { COMPLIANT, NOT_APPLICABLE, nonCompliant, type PolicyRule, type ResourceView } from "../types";

/** Invoke permissions: every aws_lambda_permission names the one source (source_arn) allowed to invoke. */
export const lambdaPermissionSourceRule: PolicyRule = {
  id: "lambda-permission-source",
  reason: "Lambda permissions restrict the caller with source_arn",
  evaluate(resource: ResourceView) {
    if (resource.kind !== "resource" || resource.type !== "aws_lambda_permission") return NOT_APPLICABLE;
    if (resource.unknown.has("source_arn")) return COMPLIANT;
    const source = resource.values.source_arn;
    return typeof source === "string" && source !== "" ? COMPLIANT : nonCompliant("source_arn is not set");
  },
};
