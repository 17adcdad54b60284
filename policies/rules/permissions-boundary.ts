import { COMPLIANT, NOT_APPLICABLE, nonCompliant, type PolicyRule, type ResourceView } from "../types";

/**
 * Boundaries: where the environment names a permissions boundary, every IAM role carries exactly that
 * one, so no role the deploy role creates can exceed what the boundary allows (bootstrap/).
 */
export const permissionsBoundaryRule: PolicyRule = {
  id: "permissions-boundary",
  reason: "every IAM role carries the environment's permissions boundary",
  evaluate(resource: ResourceView, context) {
    if (resource.kind !== "resource" || resource.type !== "aws_iam_role" || !context.permissionsBoundary)
      return NOT_APPLICABLE;
    if (resource.unknown.has("permissions_boundary")) return NOT_APPLICABLE;
    const actual = resource.values.permissions_boundary;
    if (actual === context.permissionsBoundary) return COMPLIANT;
    return nonCompliant(
      `permissions_boundary is ${JSON.stringify(actual ?? null)}, expected ${JSON.stringify(context.permissionsBoundary)}`,
    );
  },
};
