import { resourcesOf, synthStack } from "../helpers/synth";

const json = synthStack("staging-stack");
const one = (type: string) => resourcesOf(json, type).map(([, r]) => r);

test("queues: visibility at least 6x the consumer timeout, 4-day retention, DLQs kept 14 days after 3 receives", () => {
  const queues = Object.fromEntries(one("aws_sqs_queue").map((q) => [q.name as string, q]));
  expect(Object.keys(queues).sort()).toEqual(
    [
      "stag-DownloadQueue",
      "stag-DownloadQueue-DLQ",
      "stag-SendPushNotification",
      "stag-SendPushNotification-DLQ",
    ].sort(),
  );
  expect(queues["stag-DownloadQueue"]).toMatchObject({
    visibility_timeout_seconds: 5400,
    message_retention_seconds: 345600,
    receive_wait_time_seconds: 20,
  });
  expect(queues["stag-SendPushNotification"].visibility_timeout_seconds).toBe(180);
  expect(queues["stag-DownloadQueue-DLQ"].message_retention_seconds).toBe(1209600);
  for (const name of ["stag-DownloadQueue", "stag-SendPushNotification"]) {
    expect(String(queues[name].redrive_policy)).toMatch(/"maxReceiveCount" = 3/);
  }
});

test("event source mappings: downloads one at a time, pushes in batches of 10, both report item failures", () => {
  const mappings = one("aws_lambda_event_source_mapping");
  expect(mappings.map((m) => m.batch_size).sort()).toEqual([1, 10]);
  for (const m of mappings) expect(m.function_response_types).toEqual(["ReportBatchItemFailures"]);
});

test("the download mapping caps its pollers at StartFileUpload's reserved concurrency (2 in staging, 10 in production)", () => {
  for (const [stack, expected] of [
    ["staging-stack", 2],
    ["prod-stack", 10],
  ] as const) {
    const downloads = resourcesOf(synthStack(stack), "aws_lambda_event_source_mapping")
      .map(([, m]) => m)
      .find((m) => m.batch_size === 1)!;
    expect(downloads.scaling_config).toEqual({ maximum_concurrency: expected });
  }
  // The push consumer has no reserved concurrency and so no cap.
  expect(
    one("aws_lambda_event_source_mapping").find((m) => m.batch_size === 10)!.scaling_config,
  ).toBeUndefined();
});

test("the default file is copied with tagging_directive REPLACE, so default tags converge (provider #25477)", () => {
  const [copy] = one("aws_s3_object_copy");
  expect(copy).toMatchObject({ metadata_directive: "REPLACE", tagging_directive: "REPLACE" });
});

test("the migration runs after the cluster, its function and every grant of its role", () => {
  const [, migration] = resourcesOf(json, "aws_lambda_invocation")[0];
  const deps = (migration.depends_on as string[]).join(" ");
  expect(deps).toMatch(/aws_dsql_cluster\./);
  expect(deps).toMatch(/aws_lambda_function\.media-downloader_functions_MigrateDSQL_function/);
  expect(deps).toMatch(/aws_iam_role_policy\.media-downloader_functions_MigrateDSQL_role_policy/);
  const attachments = resourcesOf(json, "aws_iam_role_policy_attachment")
    .filter(([id]) => id.includes("MigrateDSQL"))
    .map(([id]) => `aws_iam_role_policy_attachment.${id}`);
  expect(attachments).toHaveLength(2); // X-Ray and DbConnectAdmin
  for (const attachment of attachments) expect(migration.depends_on).toContain(attachment);
});

test("only the DownloadRequested rule may send to the download queue, with the reference's input transformer", () => {
  const [policy] = one("aws_sqs_queue_policy");
  expect(String(policy.policy)).toMatch(/aws:SourceArn.*aws_cloudwatch_event_rule\.[^.]*download-requested/);
  const target = one("aws_cloudwatch_event_target").find((t) => t.target_id === "DownloadQueue")!;
  const transformer = target.input_transformer as {
    input_paths: Record<string, string>;
    input_template: string;
  };
  expect(Object.keys(transformer.input_paths).sort()).toEqual([
    "correlationId",
    "fileId",
    "sourceUrl",
    "userId",
  ]);
  expect(transformer.input_template).toMatch(/"attempt": 1/);
});

test("schedules: prefixed rules on the default bus with the reference's expressions", () => {
  const schedules = one("aws_cloudwatch_event_rule").filter((r) => r.schedule_expression);
  expect(schedules.map((r) => [r.name, r.schedule_expression, r.event_bus_name]).sort()).toEqual([
    ["stag-CleanupExpiredRecords", "cron(0 3 * * ? *)", undefined],
    ["stag-PruneDevices", "rate(1 day)", undefined],
  ]);
});

test("the media bucket is private, encrypted, versioned, tiered without archive tiers, and readable only by its distribution", () => {
  const [bucket] = one("aws_s3_bucket");
  expect(bucket.bucket).toBe("lifegames-stag-media-files");
  expect(one("aws_s3_bucket_public_access_block")[0]).toMatchObject({
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  });
  expect(one("aws_s3_bucket_versioning")[0].versioning_configuration).toEqual({ status: "Enabled" });
  const lifecycle = one("aws_s3_bucket_lifecycle_configuration")[0].rule as Array<Record<string, unknown>>;
  expect(lifecycle[0].transition).toEqual([{ days: 0, storage_class: "INTELLIGENT_TIERING" }]);
  // ARCHIVE_ACCESS/DEEP_ARCHIVE_ACCESS objects need a restore before CloudFront can read them.
  expect(one("aws_s3_bucket_intelligent_tiering_configuration")).toEqual([]);
  expect(String(one("aws_s3_bucket_policy")[0].policy)).toMatch(/AWS:SourceArn.*aws_cloudfront_distribution/);
});

test("the bucket notification waits for the permission that allows it", () => {
  const [notification] = one("aws_s3_bucket_notification");
  expect(notification.depends_on).toEqual([
    expect.stringMatching(/^aws_lambda_permission\..*S3ObjectCreated/),
  ]);
});

test("the idempotency table is on-demand, keyed by id, and expires rows by TTL", () => {
  const [table] = one("aws_dynamodb_table");
  expect(table).toMatchObject({
    name: "stag-MediaDownloader-Idempotency",
    billing_mode: "PAY_PER_REQUEST",
    hash_key: "id",
    ttl: { attribute_name: "expiration", enabled: true },
  });
});

test("DSQL access goes through managed policies attached by reference, not by role-name strings", () => {
  const attachments = one("aws_iam_role_policy_attachment");
  for (const a of attachments) expect(String(a.role)).toMatch(/^\$\{aws_iam_role\.[^}]+\.name\}$/);
  const policies = one("aws_iam_policy").map((p) => p.name);
  expect(policies.sort()).toEqual(
    [
      "stag-LambdaXRayWrite",
      "stag-MediaDownloader-DSQL-AdminConnect",
      "stag-MediaDownloader-DSQL-Connect",
    ].sort(),
  );
});

test("the APNS application uses the configured platform and logs deliveries to retained groups", () => {
  const [app] = one("aws_sns_platform_application");
  expect(app.platform).toBe("APNS_SANDBOX");
  expect(app.name).toBe("stag-OfflineMediaDownloader");
  const groups = one("aws_cloudwatch_log_group").filter((g) => String(g.name).startsWith("sns/"));
  expect(groups.map((g) => g.name).sort()).toEqual([
    "sns/us-west-2/123456789012/app/APNS_SANDBOX/stag-OfflineMediaDownloader",
    "sns/us-west-2/123456789012/app/APNS_SANDBOX/stag-OfflineMediaDownloader/Failure",
  ]);
});
