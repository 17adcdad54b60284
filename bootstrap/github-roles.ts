import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST } from "./github-oidc";
import { packPolicies, type PolicyJson, type Statement } from "./policy-document";

/** IAM's default quota of managed policies per role. */
export const MANAGED_POLICIES_PER_ROLE = 10;

/**
 * The longest session a workflow may request (role-duration-seconds): two hours, above the longest job
 * that assumes a role (the deploy job's timeout-minutes, 90). A test keeps the workflows within it.
 */
export const ROLE_MAX_SESSION_SECONDS = 7200;

export interface GitHubRoleProps {
  readonly name: string;
  readonly description: string;
  readonly oidcProviderArn: string;
  /** Exact OIDC subjects (`repo:<owner>/<name>:...`) that may assume the role: no wildcards. */
  readonly subjects: readonly string[];
  readonly statements: readonly Statement[];
}

/**
 * A role GitHub Actions assumes through OIDC: StringEquals on `aud` and `sub`, so only the named
 * repository, environment or branch gets it. Its statements become managed policies (IAM's 6,144-character
 * limit each), named after the role.
 */
export class GitHubRole extends Construct {
  readonly role: IamRole;
  readonly documents: readonly PolicyJson[];

  constructor(scope: Construct, id: string, props: GitHubRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: props.description,
      maxSessionDuration: ROLE_MAX_SESSION_SECONDS,
      assumeRolePolicy: JSON.stringify(trustPolicy(props.oidcProviderArn, props.subjects)),
    });
    this.documents = packPolicies(props.statements);
    if (this.documents.length > MANAGED_POLICIES_PER_ROLE)
      throw new Error(
        `${props.name}: ${this.documents.length} managed policies exceed IAM's ${MANAGED_POLICIES_PER_ROLE} per role`,
      );
    this.documents.forEach((document, i) => {
      const policy = new IamPolicy(this, `policy-${i}`, {
        name: `${props.name}-${i + 1}`,
        policy: JSON.stringify(document),
      });
      new IamRolePolicyAttachment(this, `attachment-${i}`, { role: this.role.name, policyArn: policy.arn });
    });
  }
}

export function trustPolicy(oidcProviderArn: string, subjects: readonly string[]): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: subjects.length === 1 ? subjects[0] : [...subjects],
          },
        },
      },
    ],
  };
}
