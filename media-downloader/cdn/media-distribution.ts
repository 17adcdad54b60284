import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { CloudfrontResponseHeadersPolicy } from "@cdktf/provider-aws/lib/cloudfront-response-headers-policy";
import { Construct } from "constructs";
import type { MediaBucket } from "../storage/media-bucket";

const ORIGIN_ID = "S3-media-files";
const DAY = 86_400;

export interface MediaDistributionProps {
  readonly bucket: MediaBucket;
  readonly originAccessControlName: string;
  readonly corsPolicyName: string;
  /** Origins allowed to fetch media from browsers; no CORS policy when empty. */
  readonly corsAllowedOrigins: readonly string[];
  readonly geoAllowList: readonly string[];
  readonly priceClass: string;
}

/** Serves the media bucket over HTTPS through an origin access control; the bucket stays private. */
export class MediaDistribution extends Construct {
  readonly distribution: CloudfrontDistribution;

  constructor(scope: Construct, id: string, props: MediaDistributionProps) {
    super(scope, id);
    const oac = new CloudfrontOriginAccessControl(this, "origin-access-control", {
      name: props.originAccessControlName,
      description: "Media bucket access for CloudFront",
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });
    const cors =
      props.corsAllowedOrigins.length > 0
        ? new CloudfrontResponseHeadersPolicy(this, "cors", {
            name: props.corsPolicyName,
            comment: "Browser access to media from the allowed origins",
            corsConfig: {
              accessControlAllowCredentials: false,
              originOverride: true,
              accessControlAllowHeaders: { items: ["*"] },
              accessControlAllowMethods: { items: ["GET", "HEAD"] },
              accessControlAllowOrigins: { items: [...props.corsAllowedOrigins] },
              accessControlMaxAgeSec: DAY,
            },
          })
        : undefined;
    this.distribution = new CloudfrontDistribution(this, "distribution", {
      enabled: true,
      comment: props.bucket.bucket.bucket,
      priceClass: props.priceClass,
      origin: [
        {
          originId: ORIGIN_ID,
          domainName: props.bucket.bucket.bucketRegionalDomainName,
          originAccessControlId: oac.id,
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: ORIGIN_ID,
        allowedMethods: ["GET", "HEAD"],
        cachedMethods: ["GET", "HEAD"],
        viewerProtocolPolicy: "redirect-to-https",
        forwardedValues: { queryString: false, cookies: { forward: "none" } },
        minTtl: 0,
        defaultTtl: DAY,
        maxTtl: 365 * DAY,
        responseHeadersPolicyId: cors?.id,
      },
      restrictions: { geoRestriction: { restrictionType: "whitelist", locations: [...props.geoAllowList] } },
      viewerCertificate: { cloudfrontDefaultCertificate: true },
    });
    props.bucket.allowCloudFrontRead(this.distribution.arn);
  }

  get domainName(): string {
    return this.distribution.domainName;
  }
}
