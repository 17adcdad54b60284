import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { IAspect } from "cdktf";
import type { IConstruct } from "constructs";

/** The ARN of an environment's permissions boundary (the bootstrap stack creates the policy). */
export function permissionsBoundaryArn(accountId: string, policyName: string): string {
  return `arn:aws:iam::${accountId}:policy/${policyName}`;
}

/**
 * Attaches one permissions boundary to every IAM role in a scope, like aws-cdk-lib's
 * PermissionsBoundary.of(scope).apply(): no role of the workload can be created without it, and the
 * deploy role may create roles only with it (bootstrap/deploy-permissions.ts).
 */
export class PermissionsBoundaryAspect implements IAspect {
  constructor(private readonly boundaryArn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole) node.permissionsBoundary = this.boundaryArn;
  }
}
