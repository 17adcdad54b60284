import type { AttributeChange } from "../../lib/emulator/changes";
import { addressType, quirkOf, tagGapOverride } from "../../lib/emulator/quirks";

const change = (
  address: string,
  path: string,
  before: unknown,
  after: unknown,
  actions = "update",
): AttributeChange => ({
  address,
  actions,
  path,
  before,
  after,
});
const ADOT = (account: string) =>
  `arn:aws:lambda:us-west-2:${account}:layer:aws-otel-nodejs-arm64-ver-1-30-2:1`;

describe("emulator quirks in a refresh plan", () => {
  test("a CloudFront edge association, OAC id or SSL method the emulator does not return is a quirk", () => {
    const d = "aws_cloudfront_distribution.media-downloader_api-distribution_distribution_1";
    expect(
      quirkOf(change(d, "default_cache_behavior.0.lambda_function_association", [], [{}])),
    ).toBeDefined();
    expect(quirkOf(change(d, "origin.0.origin_access_control_id", "", "E1"))).toBeDefined();
    expect(quirkOf(change(d, "viewer_certificate.0.ssl_support_method", "vip", null))).toBeDefined();
  });

  test("a layer ARN that differs only in the account is a quirk; another layer or version is a real change", () => {
    const fn = "aws_lambda_function.fn";
    expect(quirkOf(change(fn, "layers.0", ADOT("123456789012"), ADOT("901920570463")))).toBeDefined();
    expect(
      quirkOf(change(fn, "layers.0", ADOT("123456789012"), ADOT("901920570463").replace(/:1$/, ":2"))),
    ).toBeUndefined();
  });

  test("a redrive policy that differs only in spacing is a quirk; another target is a real change", () => {
    const q = "aws_sqs_queue.q";
    const policy = { deadLetterTargetArn: "arn:aws:sqs:us-west-2:123456789012:dlq", maxReceiveCount: 3 };
    expect(
      quirkOf(change(q, "redrive_policy", JSON.stringify(policy, null, 1), JSON.stringify(policy))),
    ).toBeDefined();
    expect(
      quirkOf(
        change(
          q,
          "redrive_policy",
          JSON.stringify(policy),
          JSON.stringify({ ...policy, maxReceiveCount: 5 }),
        ),
      ),
    ).toBeUndefined();
  });

  test("the same path on another type, or a replace, is never a quirk", () => {
    expect(quirkOf(change("aws_sqs_queue.q", "layers.0", ADOT("1"), ADOT("1")))).toBeUndefined();
    expect(
      quirkOf(
        change(
          "aws_lambda_function.fn",
          "layers.0",
          ADOT("123456789012"),
          ADOT("901920570463"),
          "delete,create",
        ),
      ),
    ).toBeUndefined();
  });

  test("addressType reads the type of indexed and module addresses", () => {
    expect(addressType('module.a.aws_s3_bucket.b["x"]')).toBe("aws_s3_bucket");
    expect(addressType("aws_sqs_queue.q[0]")).toBe("aws_sqs_queue");
  });

  test("tag-update gaps become ignore_changes on tags for those types only", () => {
    expect(tagGapOverride({ aws_dsql_cluster: { c: {} }, aws_s3_bucket: { b: {} } })).toEqual({
      resource: { aws_dsql_cluster: { c: { lifecycle: { ignore_changes: ["tags", "tags_all"] } } } },
    });
    expect(tagGapOverride({ aws_s3_bucket: { b: {} } })).toEqual({});
  });
});
