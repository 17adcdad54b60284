import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";

export const API_GATEWAY_LOGS_POLICY_ARN =
  "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs";

export interface ApiGatewayAccountSettingsProps {
  readonly roleName: string;
  /** One provider per region where an environment enables execution logging. */
  readonly regions: readonly { readonly region: string; readonly provider: AwsProvider }[];
}

/**
 * The API Gateway account setting: the CloudWatch role API Gateway writes execution logs with. It is one
 * per account and region, so the bootstrap owns it: it outlives every environment that logs through it.
 */
export class ApiGatewayAccountSettings extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ApiGatewayAccountSettingsProps) {
    super(scope, id);
    this.role = new IamRole(this, "cloudwatch-role", {
      name: props.roleName,
      description: "API Gateway writes execution logs with this role (every environment in the account)",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
    });
    const attachment = new IamRolePolicyAttachment(this, "cloudwatch-policy", {
      role: this.role.name,
      policyArn: API_GATEWAY_LOGS_POLICY_ARN,
    });
    for (const { region, provider } of props.regions)
      new ApiGatewayAccount(this, `account-${region}`, {
        cloudwatchRoleArn: this.role.arn,
        provider,
        dependsOn: [attachment],
      });
  }
}
