import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { makeBucketPrivate } from "../media-downloader/storage/private-bucket";
import { policyJson } from "./policy-document";

export interface HardenedBucketProps {
  readonly bucketName: string;
  readonly kmsKeyArn: string;
  /**
   * S3 Bucket Keys (fewer KMS calls; the encryption context becomes the bucket ARN). Off for the state
   * bucket, so each environment's key use is tied to its own object ARN.
   */
  readonly bucketKey: boolean;
  /** @default 90 */
  readonly noncurrentVersionDays?: number;
  readonly provider: AwsProvider;
}

/**
 * A bucket for the pipeline's own data (state, release artifacts): versioned, SSE-KMS with a
 * customer-managed key, all four public-access blocks, bucket-owner-enforced ownership, TLS-only access,
 * noncurrent versions expired, never destroyed by a plan.
 */
export class HardenedBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: HardenedBucketProps) {
    super(scope, id);
    const provider = props.provider;
    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      provider,
      lifecycle: { preventDestroy: true },
    });
    const bucket = this.bucket.id;
    new S3BucketVersioningA(this, "versioning", {
      bucket,
      versioningConfiguration: { status: "Enabled" },
      provider,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn },
          bucketKeyEnabled: props.bucketKey,
        },
      ],
      provider,
    });
    makeBucketPrivate(this, bucket, provider);
    const arn = `arn:aws:s3:::${props.bucketName}`;
    new S3BucketPolicy(this, "policy", {
      bucket,
      policy: JSON.stringify({
        ...policyJson([]),
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [arn, `${arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
      provider,
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: "ExpireNoncurrentVersions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      provider,
    });
  }
}
