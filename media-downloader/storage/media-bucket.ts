import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3ObjectCopy } from "@cdktf/provider-aws/lib/s3-object-copy";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { LambdaFunction } from "../functions/lambda-function";
import type { IGrantable } from "../iam/policy";
import { makeBucketPrivate } from "./private-bucket";

export interface MediaBucketProps {
  readonly bucketName: string;
  /** prevent_destroy, and no force_destroy. */
  readonly protect: boolean;
}

/**
 * The downloaded media: private (CloudFront reads it through OAC), encrypted, versioned, and moved into
 * Intelligent-Tiering (its automatic, always-readable tiers only).
 */
export class MediaBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: MediaBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: !props.protect,
      lifecycle: { preventDestroy: props.protect },
    });
    const bucket = this.bucket.id;
    makeBucketPrivate(this, bucket);
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    });
    new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: "IntelligentTiering",
          status: "Enabled",
          filter: [{ prefix: "" }],
          transition: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }],
          noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    // No Intelligent-Tiering archive configuration: its ARCHIVE_ACCESS/DEEP_ARCHIVE_ACCESS tiers make an
    // object unreadable until restored, and CloudFront serves every object of this bucket. The automatic
    // frequent/infrequent/archive-instant tiers need no configuration and stay readable.
  }

  get arn(): string {
    return this.bucket.arn;
  }

  /** Lets one CloudFront distribution read objects through its origin access control. */
  allowCloudFrontRead(distributionArn: string): void {
    new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "CloudFrontOriginAccessControl",
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: "s3:GetObject",
            Resource: `${this.bucket.arn}/*`,
            Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
          },
        ],
      }),
    });
  }

  /** Invokes `fn` for every created object; the permission exists before the notification. */
  notifyOnObjectCreated(fn: LambdaFunction, accountId: string): void {
    const permission = fn.grantInvoke("s3", "s3.amazonaws.com", this.bucket.arn, accountId);
    new S3BucketNotification(this, "notification", {
      bucket: this.bucket.id,
      lambdaFunction: [{ lambdaFunctionArn: fn.arn, events: ["s3:ObjectCreated:*"] }],
      dependsOn: [permission],
    });
  }

  /** Copies a release's static file into the bucket at apply time (no local file needed at synth). */
  addObjectFromRelease(
    id: string,
    props: { key: string; sourceBucket: string; sourceKey: string; contentType: string },
  ) {
    return new S3ObjectCopy(this, id, {
      bucket: this.bucket.id,
      key: props.key,
      source: `${props.sourceBucket}/${props.sourceKey}`,
      contentType: props.contentType,
      metadataDirective: "REPLACE",
      // Without it S3 copies the source's tags and ignores the provider's default tags, which the provider
      // then sees missing on every refresh: a copy on every apply (hashicorp/terraform-provider-aws#25477).
      taggingDirective: "REPLACE",
    });
  }

  /** Read (GET and HEAD) objects. */
  grantReadObjects(grantee: IGrantable): void {
    grantee.addToPolicy({ actions: ["s3:GetObject"], resources: [`${this.bucket.arn}/*`] });
  }

  /** Write objects, including multipart uploads. */
  grantWriteObjects(grantee: IGrantable): void {
    grantee.addToPolicy({
      actions: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      resources: [`${this.bucket.arn}/*`],
    });
  }

  /** List objects and in-progress multipart uploads. */
  grantList(grantee: IGrantable): void {
    grantee.addToPolicy({
      actions: ["s3:ListBucket", "s3:ListBucketMultipartUploads"],
      resources: [this.bucket.arn],
    });
  }
}
