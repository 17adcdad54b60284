import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Fn } from "cdktf";
import { IAM_WILDCARD_RESOURCE_EXCEPTIONS } from "../../../policies";
import { actionReference, checkPolicyDocument } from "../../../policies/iam/reference";
import { found, synthViolations } from "../fixture";

const allow = (Action: unknown, Resource?: unknown) => ({
  Statement: [{ Effect: "Allow", Action, ...(Resource === undefined ? {} : { Resource }) }],
});

describe("checkPolicyDocument (AWS service authorization reference)", () => {
  test("an unknown action, a malformed ARN and an action pattern matching nothing", () => {
    expect(checkPolicyDocument(allow(["s3:HeadObject", "sqs:Send*Nothing"], "arn:aws:s3:::b/*"))).toEqual([
      'statement 0: "s3:HeadObject" is no action in the service reference',
      'statement 0: "sqs:Send*Nothing" is no action in the service reference',
    ]);
    expect(checkPolicyDocument(allow("sqs:SendMessage", "my-queue"))).toEqual([
      'statement 0: resource "my-queue" is no ARN',
    ]);
  });

  test("a wildcard-only action on an ARN never matches (sns:DeleteEndpoint on endpoints)", () => {
    expect(
      checkPolicyDocument(
        allow("sns:DeleteEndpoint", "arn:aws:sns:us-west-2:123456789012:endpoint/APNS/app/*"),
      ),
    ).toEqual([
      'statement 0: "sns:DeleteEndpoint" supports only "*" (no resource types), granted on "arn:aws:sns:us-west-2:123456789012:endpoint/APNS/app/*"',
      'statement 0: resource "arn:aws:sns:us-west-2:123456789012:endpoint/APNS/app/*" fits no resource type of the statement\'s actions',
    ]);
    expect(checkPolicyDocument(allow("sns:DeleteEndpoint", "*"))).toEqual([]);
  });

  test("sns:Publish fits topics, not platform endpoints", () => {
    expect(checkPolicyDocument(allow("sns:Publish", "arn:aws:sns:us-west-2:123456789012:alerts"))).toEqual(
      [],
    );
    expect(
      checkPolicyDocument(allow("sns:Publish", "arn:aws:sns:us-west-2:123456789012:endpoint/APNS/app/*")),
    ).toContain(`statement 0: no resource fits "sns:Publish"'s resource types (topic), so it never matches`);
  });

  test("references resolve to their resource type: object actions on a bucket ARN never match", () => {
    expect(checkPolicyDocument(allow("s3:GetObject", "${aws_s3_bucket.b.arn}"))).toEqual([
      `statement 0: no resource fits "s3:GetObject"'s resource types (accesspointobject, object), so it never matches`,
      'statement 0: resource "${aws_s3_bucket.b.arn}" fits no resource type of the statement\'s actions',
    ]);
    expect(checkPolicyDocument(allow(["s3:GetObject"], "${aws_s3_bucket.b.arn}/*"))).toEqual([]);
    expect(
      checkPolicyDocument(
        allow(["logs:CreateLogStream", "logs:PutLogEvents"], "${aws_cloudwatch_log_group.g.arn}:*"),
      ),
    ).toEqual([]);
    // CloudWatch Logs' own ARN form for a group ends in ":*": both forms fit log-group actions.
    expect(checkPolicyDocument(allow("logs:CreateLogGroup", "${aws_cloudwatch_log_group.g.arn}:*"))).toEqual(
      [],
    );
    // A stream action on the plain group ARN fits no log stream.
    expect(checkPolicyDocument(allow("logs:PutLogEvents", "${aws_cloudwatch_log_group.g.arn}"))).toHaveLength(
      2,
    );
    // A reference of a type the table does not know is accepted.
    expect(checkPolicyDocument(allow("sqs:SendMessage", "${aws_other_thing.x.arn}"))).toEqual([]);
  });

  test("trust policies are checked for actions only", () => {
    expect(checkPolicyDocument(allow("sts:AssumeRole"))).toEqual([]);
    expect(checkPolicyDocument(allow("sts:AssumeRoleNow"))).toEqual([
      'statement 0: "sts:AssumeRoleNow" is no action in the service reference',
    ]);
  });

  test("every wildcard exception names a real action", () => {
    for (const action of Object.keys(IAM_WILDCARD_RESOURCE_EXCEPTIONS))
      expect([action, actionReference(action) !== undefined]).toEqual([action, true]);
    // Wildcard-only per the reference: nothing narrower exists.
    for (const action of ["sns:CreatePlatformEndpoint", "sns:DeleteEndpoint", "xray:PutTraceSegments"])
      expect(actionReference(action)!.arnFormats).toEqual([]);
    // Unsubscribe has the topic resource type, so it is no exception (granted on the topic).
    expect(actionReference("sns:Unsubscribe")!.arnFormats.map((t) => t.type)).toEqual(["topic"]);
    expect(IAM_WILDCARD_RESOURCE_EXCEPTIONS).not.toHaveProperty("sns:Unsubscribe");
  });
});

describe("iam-validity rule", () => {
  test("fails the synth naming the construct, for identity, trust and queue policies", () => {
    const violations = synthViolations((stack) => {
      const role = new IamRole(stack, "role", {
        name: "prod-fn",
        assumeRolePolicy: Fn.jsonencode({
          Statement: [
            { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRoel" },
          ],
        }),
      });
      new IamRolePolicy(stack, "policy", {
        role: role.id,
        policy: Fn.jsonencode(allow("s3:HeadObject", "arn:aws:s3:::lifegames-prod-media/*")),
      });
      const queue = new SqsQueue(stack, "queue", { name: "prod-q" });
      new SqsQueuePolicy(stack, "queue-policy", {
        queueUrl: queue.url,
        policy: Fn.jsonencode({
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: "sqs:SendMessage",
              Resource: `${queue.arn}/x`,
            },
          ],
        }),
      });
    });
    expect(found(violations).filter(([rule]) => rule === "iam-validity")).toEqual([
      ["iam-validity", "fixture/role"],
      ["iam-validity", "fixture/policy"],
      ["iam-validity", "fixture/queue-policy"],
    ]);
  });
});
