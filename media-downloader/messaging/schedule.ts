import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Construct } from "constructs";
import type { LambdaFunction } from "../functions/lambda-function";

export interface ScheduleProps {
  readonly ruleName: string;
  /** EventBridge expression: `cron(...)` or `rate(...)`. */
  readonly expression: string;
  readonly target: LambdaFunction;
}

/** A rule on the default bus that invokes one function on a schedule; only this rule may invoke it. */
export class Schedule extends Construct {
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: ScheduleProps) {
    super(scope, id);
    this.rule = new CloudwatchEventRule(this, "rule", {
      name: props.ruleName,
      description: `Runs ${props.ruleName} on ${props.expression}`,
      scheduleExpression: props.expression,
    });
    new CloudwatchEventTarget(this, "target", {
      rule: this.rule.name,
      targetId: "Function",
      arn: props.target.arn,
    });
    props.target.grantInvoke("schedule", "events.amazonaws.com", this.rule.arn);
  }
}
