/** One IAM policy statement, as data. Resources are ARNs or references; never "*" unless AWS allows nothing narrower. */
export interface PolicyStatement {
  readonly sid?: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** Something that can receive permissions: a function's role. */
export interface IGrantable {
  addToPolicy(statement: PolicyStatement): void;
}

/** Renders statements as an IAM policy document object (for Fn.jsonencode). */
export function policyDocument(statements: readonly PolicyStatement[]): object {
  return {
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      ...(s.sid ? { Sid: s.sid } : {}),
      Effect: "Allow",
      Action: [...s.actions],
      Resource: [...s.resources],
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  };
}
