import { attributeChanges, formatChanges } from "../../lib/emulator/changes";
import { quirkOf, realChanges, realChangesAfter } from "../../lib/emulator/quirks";
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
