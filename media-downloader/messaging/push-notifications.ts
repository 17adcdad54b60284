import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { SnsPlatformApplication } from "@cdktf/provider-aws/lib/sns-platform-application";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Construct } from "constructs";
import type { IGrantable } from "../iam/policy";
import { ServiceRole } from "../iam/service-role";

export interface PushNotificationsProps {
  readonly topicName: string;
  readonly applicationName: string;
  readonly feedbackRoleName: string;
  readonly platform: "APNS" | "APNS_SANDBOX";
  /** APNS private key and certificate: Terraform references to secrets, never literals. */
  readonly credential: string;
  readonly principal: string;
  readonly region: string;
  readonly accountId: string;
  readonly logRetentionDays: number;
}

/**
 * Push delivery: the APNS platform application (its endpoints are the devices), the topic devices
 * subscribe to, and delivery-status logging with retained log groups.
 */
export class PushNotifications extends Construct {
  readonly topic: SnsTopic;
  readonly application: SnsPlatformApplication;

  constructor(scope: Construct, id: string, props: PushNotificationsProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "topic", { name: props.topicName });

    // SNS writes delivery logs to these groups; created here so they are retained, not kept forever.
    const logGroups = ["", "/Failure"].map(
      (suffix, i) =>
        new CloudwatchLogGroup(this, i === 0 ? "delivery-logs" : "delivery-failure-logs", {
          name: `sns/${props.region}/${props.accountId}/app/${props.platform}/${props.applicationName}${suffix}`,
          retentionInDays: props.logRetentionDays,
        }),
    );
    const feedback = new ServiceRole(this, "feedback-role", {
      name: props.feedbackRoleName,
      assumedBy: ["sns.amazonaws.com"],
    });
    // Stream actions act on log streams (`<group arn>:*`), group actions on the group ARN itself.
    feedback.addToPolicy({
      sid: "WriteDeliveryLogs",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: logGroups.map((group) => `${group.arn}:*`),
    });
    feedback.addToPolicy({
      sid: "ConfigureDeliveryLogGroups",
      actions: ["logs:PutMetricFilter", "logs:PutRetentionPolicy"],
      resources: logGroups.flatMap((group) => [group.arn, `${group.arn}:*`]),
    });

    this.application = new SnsPlatformApplication(this, "application", {
      name: props.applicationName,
      platform: props.platform,
      platformCredential: props.credential,
      platformPrincipal: props.principal,
      successFeedbackRoleArn: feedback.arn,
      failureFeedbackRoleArn: feedback.arn,
      dependsOn: logGroups,
    });
  }

  /** Register a device: create its endpoint, then subscribe it to the topic. */
  grantRegisterDevices(grantee: IGrantable): void {
    // CreatePlatformEndpoint supports no resource-level permissions (see policies/iam-wildcard-exceptions).
    grantee.addToPolicy({ actions: ["sns:CreatePlatformEndpoint"], resources: ["*"] });
    this.grantSubscribe(grantee);
  }

  grantSubscribe(grantee: IGrantable): void {
    grantee.addToPolicy({
      actions: ["sns:Subscribe", "sns:ListSubscriptionsByTopic"],
      resources: [this.topic.arn],
    });
  }

  grantUnsubscribe(grantee: IGrantable): void {
    // The service reference gives Unsubscribe the (optional) topic resource type: scope it to the topic.
    grantee.addToPolicy({ actions: ["sns:Unsubscribe"], resources: [this.topic.arn] });
  }

  /**
   * Publish directly to device endpoints (TargetArn). The service authorization reference gives sns:Publish
   * only the `topic` resource type; platform endpoints are no resource type, so only "*" is documented to
   * match (see policies/iam-wildcard-exceptions.ts).
   */
  grantPublishToDevices(grantee: IGrantable): void {
    grantee.addToPolicy({ actions: ["sns:Publish"], resources: ["*"] });
  }

  /** Delete device endpoints: sns:DeleteEndpoint supports no resource-level permissions (wildcard-only). */
  grantDeleteDevices(grantee: IGrantable): void {
    grantee.addToPolicy({ actions: ["sns:DeleteEndpoint"], resources: ["*"] });
  }
}
