import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { Construct } from "constructs";
import { ServiceRole } from "../iam/service-role";

export interface ApiGatewayAccountSettingsProps {
  readonly roleName: string;
}

/**
 * The regional API Gateway account setting: the role API Gateway uses to write execution logs. It is a
 * singleton per account and region, so exactly one environment owns it (config api.ownsAccountSettings).
 */
export class ApiGatewayAccountSettings extends Construct {
  readonly account: ApiGatewayAccount;

  constructor(scope: Construct, id: string, props: ApiGatewayAccountSettingsProps) {
    super(scope, id);
    const role = new ServiceRole(this, "cloudwatch-role", {
      name: props.roleName,
      assumedBy: ["apigateway.amazonaws.com"],
      managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"],
    });
    this.account = new ApiGatewayAccount(this, "account", { cloudwatchRoleArn: role.arn });
  }
}
