import { attributeChanges, formatChanges, type AttributeChange } from "../../lib/emulator/changes";
import { quirkOf, realChanges, realChangesAfter, tagGapOverride } from "../../lib/emulator/quirks";
import type { PlanJson } from "../../lib/engine/summary";

const plan = (resource_changes: unknown[]) => ({ resource_changes }) as unknown as PlanJson;
const update = (address: string, before: unknown, after: unknown, after_unknown: unknown = {}) => ({
  address,
  change: { actions: ["update"], before, after, after_unknown },
});

test("a plan's changes are listed attribute by attribute, unknown values included", () => {
  const changes = attributeChanges(
    plan([
      update(
        "aws_sqs_queue.q",
        { visibility_timeout_seconds: 30, name: "q" },
        { visibility_timeout_seconds: 37, name: "q" },
      ),
      update(
        "aws_api_gateway_stage.s",
        { deployment_id: "abc" },
        { deployment_id: null },
        { deployment_id: true },
      ),
      { address: "aws_s3_bucket_policy.p", change: { actions: ["create"], before: null, after: {} } },
      { address: "aws_s3_bucket.b", change: { actions: ["no-op"], before: {}, after: {} } },
    ]),
  );
  expect(changes.map((c) => [c.address, c.actions, c.path])).toEqual([
    ["aws_sqs_queue.q", "update", "visibility_timeout_seconds"],
    ["aws_api_gateway_stage.s", "update", "deployment_id"],
    ["aws_s3_bucket_policy.p", "create", ""],
  ]);
  expect(formatChanges(changes)).toContain(
    'aws_api_gateway_stage.s [update] deployment_id: "abc" -> "(known after apply)"',
  );
});

test("only the listed attributes of the listed types are quirks; a replacement never is", () => {
  const [edge] = attributeChanges(
    plan([
      update(
        "aws_cloudfront_distribution.d",
        { default_cache_behavior: [{ lambda_function_association: [] }] },
        { default_cache_behavior: [{ lambda_function_association: [{ lambda_arn: "x" }] }] },
      ),
    ]),
  );
  expect(quirkOf(edge)?.reason).toMatch(/Lambda@Edge/);
  const [timeout] = attributeChanges(
    plan([update("aws_sqs_queue.q", { visibility_timeout_seconds: 1 }, { visibility_timeout_seconds: 2 })]),
  );
  expect(quirkOf(timeout)).toBeUndefined();
  const replaced = { ...edge, actions: "delete,create" };
  expect(realChanges([edge, replaced])).toEqual([replaced]);
});

test("a queue policy recreated after a quirk update of a queue is the emulator's side effect, not drift", () => {
  const redrive = attributeChanges(
    plan([update("aws_sqs_queue.q", { redrive_policy: '{"a": 1}' }, { redrive_policy: '{"a":1}' })]),
  );
  const recreated = attributeChanges(
    plan([{ address: "aws_sqs_queue_policy.p", change: { actions: ["create"], before: null, after: {} } }]),
  );
  expect(realChangesAfter(recreated, redrive)).toEqual([]);
  expect(realChangesAfter(recreated, [])).toEqual(recreated);
});

const change = (address: string, path: string, before: unknown, after: unknown): AttributeChange => ({
  address,
  actions: "update",
  path,
  before,
  after,
});
const ADOT = (account: string, version = 1) =>
  `arn:aws:lambda:us-west-2:${account}:layer:aws-otel-nodejs-arm64-ver-1-30-2:${version}`;

test("a layer ARN that differs only in the account is a quirk; another version is a real change", () => {
  expect(
    quirkOf(change("aws_lambda_function.fn", "layers.0", ADOT("123456789012"), ADOT("901920570463"))),
  ).toBeDefined();
  expect(
    quirkOf(change("aws_lambda_function.fn", "layers.0", ADOT("123456789012"), ADOT("901920570463", 2))),
  ).toBeUndefined();
});

test("a redrive policy that differs only in spacing is a quirk; another target is a real change", () => {
  const policy = { deadLetterTargetArn: "arn:aws:sqs:us-west-2:123456789012:dlq", maxReceiveCount: 3 };
  const q = "aws_sqs_queue.q";
  expect(
    quirkOf(change(q, "redrive_policy", JSON.stringify(policy, null, 1), JSON.stringify(policy))),
  ).toBeDefined();
  expect(
    quirkOf(
      change(q, "redrive_policy", JSON.stringify(policy), JSON.stringify({ ...policy, maxReceiveCount: 5 })),
    ),
  ).toBeUndefined();
});

test("tag-update gaps become ignore_changes on tags for those types only", () => {
  expect(tagGapOverride({ aws_dsql_cluster: { c: {} }, aws_s3_bucket: { b: {} } })).toEqual({
    resource: { aws_dsql_cluster: { c: { lifecycle: { ignore_changes: ["tags", "tags_all"] } } } },
  });
  expect(tagGapOverride({ aws_s3_bucket: { b: {} } })).toEqual({});
});
