import { readJsonDocument } from "../../policies/hcl";
import { testEnvironments } from "../helpers/environments";
import { expectedFor } from "../helpers/expected";
import { resourcesOf, synthStack, type StackJson } from "../helpers/synth";

/**
 * Every security and data-protection property, one named test each, per environment, independent of the
 * snapshots. Values come from expected.ts (what the user asked for); an environment it does not know is
 * checked against its own config (the wiring).
 */

type Resource = Record<string, unknown>;
const one = (json: StackJson, type: string): Array<[string, Resource]> => resourcesOf(json, type);
const only = (json: StackJson, type: string): [string, Resource] => {
  const all = one(json, type);
  expect([type, all.length]).toEqual([type, 1]);
  return all[0];
};

function document(value: unknown): Record<string, unknown> {
  const read = readJsonDocument(value);
  if (read.status !== "known") throw new Error(`not a readable policy document: ${String(value)}`);
  return read.document as Record<string, unknown>;
}

function statementsOf(value: unknown): Array<Record<string, unknown>> {
  const statement = document(value).Statement;
  return (Array.isArray(statement) ? statement : [statement]) as Array<Record<string, unknown>>;
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

describe.each(testEnvironments())("$stackId security", ({ name, stackId, config }) => {
  const json = synthStack(stackId);
  const expected = expectedFor(name);
  const prefix = expected?.prefix ?? config.prefix;
  const account = expected?.accountId ?? config.aws.accountId;
  const deletionProtection = expected?.deletionProtection ?? config.deletionProtection;
  const retention = expected?.logRetentionDays ?? config.logRetentionDays;
  const [bucketId, bucket] = only(json, "aws_s3_bucket");
  const bucketRef = `\${aws_s3_bucket.${bucketId}.id}`;

  test("origin access control: the media distribution signs every bucket request with SigV4", () => {
    const [oacId, oac] = only(json, "aws_cloudfront_origin_access_control");
    expect(oac).toMatchObject({
      name: `${prefix}-media-files-oac`,
      origin_access_control_origin_type: "s3",
      signing_behavior: "always",
      signing_protocol: "sigv4",
    });
    const bucketOrigins = one(json, "aws_cloudfront_distribution").flatMap(([, d]) =>
      (d.origin as Resource[]).filter((o) => String(o.domain_name).includes(`aws_s3_bucket.${bucketId}.`)),
    );
    expect(bucketOrigins).toHaveLength(1);
    expect(bucketOrigins[0].origin_access_control_id).toBe(
      `\${aws_cloudfront_origin_access_control.${oacId}.id}`,
    );
    // No legacy origin access identity, no public website endpoint.
    expect(bucketOrigins[0].s3_origin_config).toBeUndefined();
    expect(one(json, "aws_cloudfront_origin_access_identity")).toEqual([]);
    expect(one(json, "aws_s3_bucket_website_configuration")).toEqual([]);
  });

  test("bucket policy: only CloudFront may read objects, and only for the media distribution", () => {
    const [, policy] = only(json, "aws_s3_bucket_policy");
    expect(policy.bucket).toBe(bucketRef);
    const media = one(json, "aws_cloudfront_distribution").find(([, d]) =>
      (d.origin as Resource[]).some((o) => o.origin_access_control_id),
    )!;
    expect(statementsOf(policy.policy)).toEqual([
      {
        Sid: "CloudFrontOriginAccessControl",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: `\${aws_s3_bucket.${bucketId}.arn}/*`,
        Condition: { StringEquals: { "AWS:SourceArn": `\${aws_cloudfront_distribution.${media[0]}.arn}` } },
      },
    ]);
  });

  test("public access: all four blocks on the media bucket, ACLs disabled", () => {
    const [, block] = only(json, "aws_s3_bucket_public_access_block");
    expect(block).toMatchObject({
      bucket: bucketRef,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const [, ownership] = only(json, "aws_s3_bucket_ownership_controls");
    expect(ownership).toMatchObject({ bucket: bucketRef, rule: { object_ownership: "BucketOwnerEnforced" } });
  });

  test("encryption at rest: the bucket (SSE with bucket keys), every queue, and the state", () => {
    const [, sse] = only(json, "aws_s3_bucket_server_side_encryption_configuration");
    expect(sse.bucket).toBe(bucketRef);
    expect(sse.rule).toEqual([
      { bucket_key_enabled: true, apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    const queues = one(json, "aws_sqs_queue");
    expect(queues).toHaveLength(4);
    for (const [, queue] of queues)
      expect([queue.name, queue.sqs_managed_sse_enabled]).toEqual([queue.name, true]);
    expect((json.terraform.backend as { s3: Resource }).s3.encrypt).toBe(true);
  });

  test("versioning keeps overwritten media recoverable", () => {
    const [, versioning] = only(json, "aws_s3_bucket_versioning");
    expect(versioning).toMatchObject({ bucket: bucketRef, versioning_configuration: { status: "Enabled" } });
  });

  test("retention: every log group expires, at the environment's retention", () => {
    const groups = one(json, "aws_cloudwatch_log_group");
    expect(groups.length).toBeGreaterThanOrEqual(17);
    for (const [, group] of groups)
      expect([group.name, group.retention_in_days]).toEqual([group.name, retention]);
  });

  test("retention: queues keep messages 4 days, dead-letter queues 14 days", () => {
    const byName = Object.fromEntries(one(json, "aws_sqs_queue").map(([, q]) => [q.name, q]));
    expect(byName[`${prefix}-DownloadQueue`].message_retention_seconds).toBe(4 * 86400);
    expect(byName[`${prefix}-SendPushNotification`].message_retention_seconds).toBe(4 * 86400);
    expect(byName[`${prefix}-DownloadQueue-DLQ`].message_retention_seconds).toBe(14 * 86400);
    expect(byName[`${prefix}-SendPushNotification-DLQ`].message_retention_seconds).toBe(14 * 86400);
  });

  test(`deletion protection is ${deletionProtection ? "on" : "off"} for the cluster, the table and the bucket`, () => {
    const [, cluster] = only(json, "aws_dsql_cluster");
    expect(cluster.deletion_protection_enabled).toBe(deletionProtection);
    expect(cluster.lifecycle).toMatchObject({ prevent_destroy: deletionProtection });
    const [, table] = only(json, "aws_dynamodb_table");
    expect(table.deletion_protection_enabled).toBe(deletionProtection);
    expect(table.lifecycle).toMatchObject({ prevent_destroy: deletionProtection });
    expect(bucket.force_destroy).toBe(!deletionProtection);
    expect(bucket.lifecycle).toMatchObject({ prevent_destroy: deletionProtection });
  });

  test("trust policies: each role trusts exactly the services that run it", () => {
    // WORKLOAD.md section 2 "Trust", with the fix of section 13 item 7: only the authorizer trusts API Gateway.
    const special: Record<string, string[]> = {
      [`${prefix}-ApiGatewayAuthorizer`]: ["lambda.amazonaws.com", "apigateway.amazonaws.com"],
      [`${prefix}-CloudfrontMiddleware`]: ["edgelambda.amazonaws.com", "lambda.amazonaws.com"],
      [`${prefix}-SNSLoggingRole`]: ["sns.amazonaws.com"],
      [`${prefix}-ApiGatewayCloudwatch`]: ["apigateway.amazonaws.com"],
    };
    const roles = one(json, "aws_iam_role");
    expect(roles.length).toBeGreaterThanOrEqual(19);
    for (const [, role] of roles) {
      const statements = statementsOf(role.assume_role_policy);
      for (const s of statements)
        expect([role.name, s.Effect, s.Action]).toEqual([role.name, "Allow", "sts:AssumeRole"]);
      const services = statements
        .flatMap((s) => asList((s.Principal as { Service: unknown }).Service))
        .sort();
      expect([role.name, services]).toEqual([
        role.name,
        (special[String(role.name)] ?? ["lambda.amazonaws.com"]).sort(),
      ]);
      // No role trusts another account or any AWS principal.
      for (const s of statements) expect(Object.keys(s.Principal as object)).toEqual(["Service"]);
    }
    const authorizer = roles.find(([, r]) => r.name === `${prefix}-ApiGatewayAuthorizer`)![1];
    const apiGateway = statementsOf(authorizer.assume_role_policy).find((s) =>
      asList((s.Principal as { Service: unknown }).Service).includes("apigateway.amazonaws.com"),
    )!;
    // API Gateway documents no aws:SourceAccount/SourceArn when it assumes an authorizer's credentials role
    // (issue 9 item 9): a condition on them would fail every CUSTOM route. Naming the role as credentials
    // needs iam:PassRole in this account instead.
    expect(apiGateway.Condition).toBeUndefined();
  });

  test("secrets: the stack reads its own SOPS file and no other", () => {
    const file = expected?.secretsFile ?? config.secretsFile;
    const sources = Object.values(json.data?.sops_file ?? {}).map((d) => d.source_file);
    expect(sources).toEqual([`\${path.root}/../../../${file}`]);
    // Every other environment's file stays out of this stack.
    for (const other of testEnvironments().filter((e) => e.name !== name)) {
      expect(JSON.stringify(json)).not.toContain(other.config.secretsFile);
    }
  });

  test("API logging never records request or response bodies", () => {
    const [, settings] = only(json, "aws_api_gateway_method_settings");
    expect((settings.settings as Resource).data_trace_enabled).toBe(false);
  });

  test("the state is locked to the environment's own key and account", () => {
    const backend = (json.terraform.backend as { s3: Resource }).s3;
    expect(backend).toMatchObject({
      bucket: expected?.stateBucket ?? config.backend.bucket,
      key: expected?.stateKey ?? config.backend.key,
      encrypt: true,
      use_lockfile: true,
    });
    for (const provider of json.provider.aws) expect(provider.allowed_account_ids).toEqual([account]);
  });
});
