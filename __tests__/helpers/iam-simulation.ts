import { runSimulation } from "@cloud-copilot/iam-simulate";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface Request {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  /** The resource's own policy (a KMS key's key policy, a bucket policy). */
  readonly resourcePolicy?: unknown;
}

/** The key policy AWS gives a key created without one: the account delegates to IAM policies. */
export function defaultKeyPolicy(accountId: string): unknown {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  };
}

/**
 * AWS's decision for one request by a role with these identity policies (and boundary), evaluated by
 * @cloud-copilot/iam-simulate (AGPL-3.0, a dev dependency only). A request the simulator rejects
 * (unknown action, ARN that fits no resource type, wrong context key) throws.
 */
export async function decide(
  principal: string,
  accountId: string,
  policies: readonly unknown[],
  request: Request,
  boundary?: unknown,
): Promise<Decision> {
  const result = await runSimulation(
    {
      request: {
        principal,
        action: request.action,
        resource: { resource: request.resource, accountId },
        contextVariables: request.context ?? {},
      },
      identityPolicies: policies.map((policy, i) => ({ name: `policy-${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
      ...(boundary ? { permissionBoundaryPolicies: [{ name: "boundary", policy: boundary }] } : {}),
    },
    {},
  );
  if (result.resultType === "error")
    throw new Error(
      `simulation of ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`,
    );
  return result.overallResult as Decision;
}
