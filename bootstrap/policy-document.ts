/** One IAM statement as data; `conditions` as IAM writes them (operator -> key -> value(s)). */
export interface Statement {
  readonly sid?: string;
  readonly effect?: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyJson {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Record<string, unknown>[];
}

/** An IAM policy document (the bootstrap's policies hold only literal ARNs, so they stay plain JSON). */
export function policyJson(statements: readonly Statement[]): PolicyJson {
  return {
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      ...(s.sid ? { Sid: s.sid } : {}),
      Effect: s.effect ?? "Allow",
      Action: [...s.actions],
      Resource: [...s.resources],
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  };
}

/** IAM's size limit of a customer-managed policy, counted without whitespace. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/**
 * Packs statements into as few documents as fit IAM's managed-policy size, in order. A single
 * statement over the limit is an error: it must be split where it is made.
 */
export function packPolicies(
  statements: readonly Statement[],
  limit = MANAGED_POLICY_MAX_CHARS,
): PolicyJson[] {
  const documents: Statement[][] = [];
  let current: Statement[] = [];
  for (const statement of statements) {
    if (JSON.stringify(policyJson([statement])).length > limit)
      throw new Error(
        `IAM statement ${statement.sid ?? statement.actions[0]} alone exceeds ${limit} characters`,
      );
    if (JSON.stringify(policyJson([...current, statement])).length > limit) {
      documents.push(current);
      current = [];
    }
    current.push(statement);
  }
  if (current.length > 0) documents.push(current);
  return documents.map(policyJson);
}
