import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { IConstruct } from "constructs";

/** The ARN of an environment's permissions boundary (the bootstrap stack creates the policy). */
export function permissionsBoundaryArn(accountId: string, policyName: string): string {
  return `arn:aws:iam::${accountId}:policy/${policyName}`;
}

/**
 * Attaches one permissions boundary to every IAM role under `scope` (call it once the scope is built):
 * the deploy role may create roles only with it (bootstrap/deploy-permissions.ts), and the
 * permissions-boundary policy rule fails the synth for any role that misses it.
 */
export function attachPermissionsBoundary(scope: IConstruct, boundaryArn: string): void {
  for (const node of scope.node.findAll())
    if (node instanceof IamRole) node.permissionsBoundary = boundaryArn;
}
