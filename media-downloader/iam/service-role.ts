import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Fn, Lazy, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { policyDocument, type IGrantable, type PolicyStatement } from "./policy";

export interface TrustedService {
  readonly service: string;
  readonly conditions: NonNullable<PolicyStatement["conditions"]>;
}

export interface ServiceRoleProps {
  readonly name: string;
  /** Service principals allowed to assume the role, e.g. lambda.amazonaws.com. */
  readonly assumedBy: readonly string[];
  /** Further services that may assume the role only under a condition (confused-deputy protection). */
  readonly conditionalTrust?: readonly TrustedService[];
  /** Managed policies shared across roles (ARNs). @default none */
  readonly managedPolicyArns?: readonly string[];
}

/**
 * An IAM role whose permissions are granted, not written: `addToPolicy` collects statements and one
 * inline policy renders them all when the stack synthesizes.
 */
export class ServiceRole extends Construct implements IGrantable {
  readonly role: IamRole;
  /** Every resource that grants this role a permission (attachments, the inline policy): depend on these. */
  readonly grants: ITerraformDependable[] = [];
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.name,
      assumeRolePolicy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: [...props.assumedBy] }, Action: "sts:AssumeRole" },
          ...(props.conditionalTrust ?? []).map((trust) => ({
            Effect: "Allow",
            Principal: { Service: trust.service },
            Action: "sts:AssumeRole",
            Condition: trust.conditions,
          })),
        ],
      }),
    });
    (props.managedPolicyArns ?? []).forEach((arn, i) => this.attach(`managed-${i}`, arn));
  }

  get arn(): string {
    return this.role.arn;
  }

  get name(): string {
    return this.role.name;
  }

  addToPolicy(statement: PolicyStatement): void {
    // The inline policy appears with the first grant: IAM rejects a policy without statements.
    if (this.statements.length === 0) {
      this.grants.push(
        new IamRolePolicy(this, "policy", {
          name: "permissions",
          role: this.role.id,
          policy: Lazy.stringValue({ produce: () => Fn.jsonencode(policyDocument(this.statements)) }),
        }),
      );
    }
    this.statements.push(statement);
  }

  /** Attaches a managed policy (shared grants such as DSQL connect). */
  private attach(id: string, policyArn: string): void {
    this.grants.push(new IamRolePolicyAttachment(this, id, { role: this.role.name, policyArn }));
  }
}
