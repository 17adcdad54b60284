import { IAM_WILDCARD_RESOURCE_EXCEPTIONS } from "../../policies/iam-wildcard-exceptions";
import { resourcesOf, synthStack, type StackJson } from "../helpers/synth";

/** Statements of the inline and managed policies. Policies are `${jsonencode({...})}` expressions. */
function statements(json: StackJson): Array<{ policy: string; statement: string }> {
  const out: Array<{ policy: string; statement: string }> = [];
  for (const type of ["aws_iam_role_policy", "aws_iam_policy"]) {
    for (const [id, policy] of resourcesOf(json, type)) {
      const text = String(policy.policy);
      for (const match of text.matchAll(
        /\{("Sid" = "[^"]*", )?"Effect" = "Allow"[^{}]*(\{[^{}]*(\{[^{}]*\})?[^{}]*\})?[^{}]*\}/g,
      )) {
        out.push({ policy: `${type}.${id}`, statement: match[0] });
      }
    }
  }
  return out;
}

const role = (json: StackJson, name: string) => {
  const [id] = resourcesOf(json, "aws_iam_role").find(([, r]) => r.name === name)!;
  return String(
    resourcesOf(json, "aws_iam_role_policy").find(([, p]) => String(p.role).includes(id))![1].policy,
  );
};

describe.each(["staging-stack", "prod-stack"] as const)("%s IAM", (id) => {
  const json = synthStack(id);

  test("no statement grants a wildcard action", () => {
    const all = statements(json);
    expect(all.length).toBeGreaterThan(30);
    for (const { statement } of all) expect(statement).not.toMatch(/"Action" = \[[^\]]*"([a-z0-9]+:)?\*"/);
  });

  test('"*" resources appear only with actions AWS cannot scope', () => {
    const allowed = Object.keys(IAM_WILDCARD_RESOURCE_EXCEPTIONS);
    for (const { statement } of statements(json).filter((s) => /"Resource" = \["\*"\]/.test(s.statement))) {
      const actionList = /"Action" = \[([^\]]*)\]/.exec(statement)![1];
      const actions = [...actionList.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
      for (const action of actions) expect(allowed).toContain(action);
    }
  });
});

const staging = synthStack("staging-stack");

test("functions get only what they use: WebhookFeedly can HEAD objects (GetObject) and use the idempotency table", () => {
  const policy = role(staging, "stag-WebhookFeedly");
  expect(policy).toMatch(/"s3:GetObject"/);
  expect(policy).not.toMatch(/s3:HeadObject/);
  expect(policy).toMatch(/dynamodb:PutItem/);
  expect(policy).toMatch(/events:PutEvents/);
});

test("SNS endpoint actions follow the service reference: Publish and DeleteEndpoint on *, Unsubscribe on the topic", () => {
  const push = role(staging, "stag-SendPushNotification");
  expect(push).toMatch(/"sns:Publish"\], "Resource" = \["\*"\]/);
  // SendPushNotification deletes dead endpoints, as the reference's cleanup does.
  expect(push).toMatch(/"sns:DeleteEndpoint"\], "Resource" = \["\*"\]/);
  for (const name of ["stag-PruneDevices", "stag-UserDelete"]) {
    expect(role(staging, name)).toMatch(/"sns:DeleteEndpoint"\], "Resource" = \["\*"\]/);
    expect(role(staging, name)).toMatch(/"sns:Unsubscribe"\], "Resource" = \[aws_sns_topic\./);
  }
  expect(role(staging, "stag-DeviceEvent")).not.toMatch(/sns:/);
});

test("functions without database access get no DSQL policy", () => {
  const [deviceRoleId] = resourcesOf(staging, "aws_iam_role").find(([, r]) => r.name === "stag-DeviceEvent")!;
  const attached = resourcesOf(staging, "aws_iam_role_policy_attachment")
    .filter(([, a]) => String(a.role).includes(deviceRoleId))
    .map(([, a]) => String(a.policy_arn));
  expect(attached).toHaveLength(1);
  expect(attached[0]).toMatch(/xray-write/);
});

test("a function logs only to its own log group", () => {
  const policy = role(staging, "stag-ListFiles");
  expect(policy).toMatch(
    /"logs:CreateLogStream", "logs:PutLogEvents"\], "Resource" = \["\$\{aws_cloudwatch_log_group\.[^}]*ListFiles[^}]*\.arn\}:\*"\]/,
  );
});
