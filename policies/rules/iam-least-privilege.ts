import { readJsonDocument } from "../hcl";
import { IAM_WILDCARD_RESOURCE_EXCEPTIONS } from "../iam-wildcard-exceptions";
import { COMPLIANT, NOT_APPLICABLE, nonCompliant, type PolicyRule, type ResourceView } from "../types";

/** Attributes holding an IAM policy document, by resource type. */
export const POLICY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_api_gateway_rest_api: ["policy"],
  aws_api_gateway_rest_api_policy: ["policy"],
  aws_cloudwatch_log_resource_policy: ["policy_document"],
  aws_iam_group_policy: ["policy"],
  aws_iam_policy: ["policy"],
  aws_iam_role: ["assume_role_policy"],
  aws_iam_role_policy: ["policy"],
  aws_iam_user_policy: ["policy"],
  aws_kms_key: ["policy"],
  aws_s3_bucket_policy: ["policy"],
  aws_secretsmanager_secret_policy: ["policy"],
  aws_sns_topic: ["policy"],
  aws_sns_topic_policy: ["policy"],
  aws_sqs_queue: ["policy"],
  aws_sqs_queue_policy: ["policy"],
};

/** Key policies say "Resource": "*" to mean the key itself. */
const SELF_RESOURCE_TYPES = new Set(["aws_kms_key"]);

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A statement in the common shape of JSON documents and aws_iam_policy_document blocks. */
interface Statement {
  readonly effect: unknown;
  readonly actions: unknown[];
  readonly notActions: unknown[];
  readonly resources: unknown[];
  readonly notResources: unknown[];
}

function field(statement: Record<string, unknown>, ...names: string[]): unknown {
  for (const name of names) if (name in statement) return statement[name];
  return undefined;
}

function jsonStatements(document: unknown): Statement[] | string {
  if (!isRecord(document)) return "the policy document is not an object";
  return asList(document.Statement).map((s) => {
    const statement = isRecord(s) ? s : {};
    return {
      effect: field(statement, "Effect"),
      actions: asList(field(statement, "Action")),
      notActions: asList(field(statement, "NotAction")),
      resources: asList(field(statement, "Resource")),
      notResources: asList(field(statement, "NotResource")),
    };
  });
}

/** Problems of one statement: wildcard actions, and "*" resources for actions outside the exceptions. */
export function statementProblems(
  statement: Statement,
  options: { resourceIsSelf?: boolean } = {},
): string[] {
  if (statement.effect === "Deny") return [];
  const problems: string[] = [];
  const actions = statement.actions.filter((a): a is string => typeof a === "string");
  for (const action of actions) {
    if (action === "*" || /^[A-Za-z0-9-]+:\*$/.test(action))
      problems.push(`action ${JSON.stringify(action)}`);
  }
  if (statement.notActions.length > 0) problems.push("NotAction in an Allow statement");
  if (statement.notResources.length > 0) problems.push("NotResource in an Allow statement");
  if (!options.resourceIsSelf && statement.resources.includes("*")) {
    const unexcepted = actions.filter((a) => !(a in IAM_WILDCARD_RESOURCE_EXCEPTIONS));
    if (unexcepted.length > 0)
      problems.push(`resource "*" for ${unexcepted.map((a) => JSON.stringify(a)).join(", ")}`);
  }
  return problems;
}

function documentProblems(attribute: string, value: unknown, resourceIsSelf: boolean): string[] | undefined {
  const read = readJsonDocument(value);
  if (read.status === "unknown") return undefined;
  if (read.status === "invalid") return [`${attribute}: ${read.message}`];
  const statements = jsonStatements(read.document);
  if (typeof statements === "string") return [`${attribute}: ${statements}`];
  return statements.flatMap((s, i) =>
    statementProblems(s, { resourceIsSelf }).map((p) => `${attribute} statement ${i}: ${p}`),
  );
}

function policyDocumentDataProblems(values: Readonly<Record<string, unknown>>): string[] {
  return asList(values.statement).flatMap((s, i) => {
    const statement = isRecord(s) ? s : {};
    return statementProblems({
      effect: statement.effect,
      actions: asList(statement.actions),
      notActions: asList(statement.not_actions),
      resources: asList(statement.resources),
      notResources: asList(statement.not_resources),
    }).map((p) => `statement ${i}: ${p}`);
  });
}

/**
 * IAM: no statement allows every action ("*") or every action of a service ("s3:*"), and `"*"` resources
 * only for the actions listed in policies/iam-wildcard-exceptions.ts.
 */
export const iamLeastPrivilegeRule: PolicyRule = {
  id: "iam-least-privilege",
  reason: 'IAM statements allow no "*" or "service:*" actions, and "*" resources only for listed exceptions',
  evaluate(resource: ResourceView) {
    if (resource.kind === "data") {
      if (resource.type !== "aws_iam_policy_document") return NOT_APPLICABLE;
      const problems = policyDocumentDataProblems(resource.values);
      return problems.length > 0 ? nonCompliant(problems.join("; ")) : COMPLIANT;
    }
    if (resource.kind !== "resource") return NOT_APPLICABLE;
    const documents: [string, unknown][] = (POLICY_ATTRIBUTES[resource.type] ?? []).map((a) => [
      a,
      resource.values[a],
    ]);
    if (resource.type === "aws_iam_role")
      asList(resource.values.inline_policy).forEach((p, i) =>
        documents.push([`inline_policy[${i}].policy`, isRecord(p) ? p.policy : undefined]),
      );
    let checked = false;
    const problems: string[] = [];
    for (const [attribute, value] of documents) {
      const found = documentProblems(attribute, value, SELF_RESOURCE_TYPES.has(resource.type));
      if (!found) continue;
      checked = true;
      problems.push(...found);
    }
    if (problems.length > 0) return nonCompliant(problems.join("; "));
    return checked ? COMPLIANT : NOT_APPLICABLE;
  },
};
