import { CloudWatchLogsClient, CreateLogGroupCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateOpenIDConnectProviderCommand, IAMClient } from "@aws-sdk/client-iam";
import type { StackJson } from "../engine/working-copy";
import { ensureBuckets, providerRegion } from "./seed";
import { EMULATOR_CREDENTIALS } from "./server";

/**
 * Objects that may exist before a stack manages them, which the stack adopts with `import` blocks
 * instead of creating (the runbooks in docs/bootstrap.md and docs/adoption.md):
 * - log groups a service creates by itself on first use: Lambda@Edge's regional copies
 *   (`/aws/lambda/us-east-1.<function>`) and SNS delivery logs (`sns/<region>/<account>/...`); the API
 *   Gateway execution log group is of that kind too, but its name holds the REST API's id;
 * - the reference's hand-made bootstrap: the state bucket (the stack's own S3 backend bucket) and GitHub's
 *   OIDC provider, and the account's API Gateway setting (import id `api-gateway-account`).
 */
export interface OutOfBand {
  readonly kind: "log-group" | "bucket" | "oidc-provider" | "api-gateway-account";
  readonly address: string;
  /** The import id. */
  readonly id: string;
  readonly region: string;
  /** What to create it from (a URL for the OIDC provider, its thumbprints). */
  readonly values?: Readonly<Record<string, unknown>>;
}

const SELF_CREATED_LOG_GROUP = [/^\/aws\/lambda\/us-east-1\./, /^sns\//];

type Block = Record<string, unknown>;

const literal = (v: unknown): v is string => typeof v === "string" && !v.includes("${");

/** The out-of-band objects a stack can adopt, found in its synthesized JSON. */
export function outOfBandObjects(stack: StackJson): OutOfBand[] {
  const resources = (stack.resource ?? {}) as Record<string, Record<string, Block>>;
  const found: OutOfBand[] = [];
  for (const [name, group] of Object.entries(resources.aws_cloudwatch_log_group ?? {}))
    if (literal(group.name) && SELF_CREATED_LOG_GROUP.some((p) => p.test(String(group.name))))
      found.push({
        kind: "log-group",
        address: `aws_cloudwatch_log_group.${name}`,
        id: group.name,
        region: providerRegion(stack, group.provider),
      });
  const backend = (stack.terraform?.backend as { s3?: { bucket?: unknown } } | undefined)?.s3;
  for (const [name, bucket] of Object.entries(resources.aws_s3_bucket ?? {}))
    if (literal(bucket.bucket) && bucket.bucket === backend?.bucket)
      found.push({
        kind: "bucket",
        address: `aws_s3_bucket.${name}`,
        id: bucket.bucket,
        region: providerRegion(stack, bucket.provider),
      });
  for (const [name, oidc] of Object.entries(resources.aws_iam_openid_connect_provider ?? {}))
    found.push({
      kind: "oidc-provider",
      address: `aws_iam_openid_connect_provider.${name}`,
      // The import id is the provider's ARN: arn:aws:iam::<account>:oidc-provider/<host>.
      id: `arn:aws:iam::${accountOf(stack)}:oidc-provider/${String(oidc.url).replace(/^https:\/\//, "")}`,
      region: providerRegion(stack, oidc.provider),
      values: { url: oidc.url, clientIds: oidc.client_id_list, thumbprints: oidc.thumbprint_list },
    });
  for (const [name, account] of Object.entries(resources.aws_api_gateway_account ?? {}))
    found.push({
      kind: "api-gateway-account",
      address: `aws_api_gateway_account.${name}`,
      id: "api-gateway-account",
      region: providerRegion(stack, account.provider),
    });
  return found;
}

function accountOf(stack: StackJson): string {
  const configs = stack.provider?.aws;
  const first = (Array.isArray(configs) ? configs[0] : configs) as
    { allowed_account_ids?: string[] } | undefined;
  const account = first?.allowed_account_ids?.[0];
  if (!account) throw new Error("the stack's aws provider names no allowed account id");
  return account;
}

/** `import` blocks (Terraform 1.5+, OpenTofu 1.5+) adopting these objects. */
export function importBlocks(objects: readonly OutOfBand[]): { import: { to: string; id: string }[] } {
  return { import: objects.map((o) => ({ to: o.address, id: o.id })) };
}

/**
 * Makes each object in the emulated account as the service (or the reference's hand-made bootstrap)
 * did. The API Gateway account setting exists in every account: nothing to make.
 */
export async function createOutOfBand(endpoint: string, objects: readonly OutOfBand[]): Promise<void> {
  for (const o of objects) {
    if (o.kind === "log-group") {
      const client = new CloudWatchLogsClient({
        endpoint,
        region: o.region,
        credentials: EMULATOR_CREDENTIALS,
        maxAttempts: 2,
      });
      try {
        await client.send(new CreateLogGroupCommand({ logGroupName: o.id }));
      } finally {
        client.destroy();
      }
    } else if (o.kind === "bucket") {
      await ensureBuckets(endpoint, [{ bucket: o.id, region: o.region }]);
    } else if (o.kind === "oidc-provider") {
      const client = new IAMClient({
        endpoint,
        region: "us-east-1",
        credentials: EMULATOR_CREDENTIALS,
        maxAttempts: 2,
      });
      try {
        await client.send(
          new CreateOpenIDConnectProviderCommand({
            Url: String(o.values?.url),
            ClientIDList: (o.values?.clientIds as string[] | undefined) ?? [],
            ThumbprintList: (o.values?.thumbprints as string[] | undefined) ?? [],
          }),
        );
      } finally {
        client.destroy();
      }
    }
  }
}
