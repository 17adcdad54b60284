import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { Construct } from "constructs";
import type { LambdaFunction } from "../functions/lambda-function";

const ORIGIN_ID = "ApiGateway";

export interface ApiDistributionProps {
  /** execute-api host of the REST API. */
  readonly apiDomain: string;
  /** `/<stage>`: the origin path, derived from the stage so the two can never disagree. */
  readonly originPath: string;
  /** Published Lambda@Edge function that moves the x-api-key header into the ApiKey query parameter. */
  readonly edgeFunction: LambdaFunction;
  readonly geoAllowList: readonly string[];
}

/** The API's public front door: no caching, HTTPS only, every request passes the edge function. */
export class ApiDistribution extends Construct {
  readonly distribution: CloudfrontDistribution;

  constructor(scope: Construct, id: string, props: ApiDistributionProps) {
    super(scope, id);
    this.distribution = new CloudfrontDistribution(this, "distribution", {
      enabled: true,
      comment: props.edgeFunction.functionName,
      origin: [
        {
          originId: ORIGIN_ID,
          domainName: props.apiDomain,
          originPath: props.originPath,
          customOriginConfig: {
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: "https-only",
            originSslProtocols: ["TLSv1.2"],
          },
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: ORIGIN_ID,
        allowedMethods: ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
        cachedMethods: ["GET", "HEAD"],
        viewerProtocolPolicy: "https-only",
        forwardedValues: {
          queryString: true,
          headers: ["X-API-Key", "Authorization", "User-Agent"],
          cookies: { forward: "none" },
        },
        minTtl: 0,
        defaultTtl: 0,
        maxTtl: 0,
        lambdaFunctionAssociation: [
          { eventType: "origin-request", lambdaArn: props.edgeFunction.qualifiedArn, includeBody: false },
        ],
      },
      restrictions: { geoRestriction: { restrictionType: "whitelist", locations: [...props.geoAllowList] } },
      viewerCertificate: { cloudfrontDefaultCertificate: true },
    });
  }

  get domainName(): string {
    return this.distribution.domainName;
  }
}
