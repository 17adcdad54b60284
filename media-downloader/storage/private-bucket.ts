import type { TerraformProvider } from "cdktf";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import type { Construct } from "constructs";

/**
 * What every bucket this project owns shares (the media bucket, the bootstrap's state and artifacts
 * buckets): all four public-access blocks, and bucket-owner-enforced ownership (ACLs off). Made in `scope`
 * as `public-access-block` and `ownership`.
 */
export function makeBucketPrivate(scope: Construct, bucket: string, provider?: TerraformProvider): void {
  new S3BucketPublicAccessBlock(scope, "public-access-block", {
    bucket,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
    provider,
  });
  new S3BucketOwnershipControls(scope, "ownership", {
    bucket,
    rule: { objectOwnership: "BucketOwnerEnforced" },
    provider,
  });
}
