import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { LambdaFunction } from "./lambda-function";
import type { Release } from "./release";

export const EDGE_FUNCTION = "CloudfrontMiddleware";

export interface EdgeFunctionProps {
  readonly functionName: string;
  readonly release: Release;
  readonly accountId: string;
  readonly logRetentionDays: number;
  /** us-east-1, where Lambda@Edge functions must be created. */
  readonly usEast1: AwsProvider;
  /** Regions whose edge log groups this stack creates (and so retains). */
  readonly logRegions: ReadonlyArray<{ readonly region: string; readonly provider: AwsProvider }>;
}

/**
 * The Lambda@Edge origin-request function of the API distribution. Lambda@Edge allows no environment,
 * layers or X-Ray; it logs to `/aws/lambda/us-east-1.<name>` in whichever region served the request.
 */
export class EdgeFunction extends LambdaFunction {
  constructor(scope: Construct, id: string, props: EdgeFunctionProps) {
    const logGroupName = `/aws/lambda/us-east-1.${props.functionName}`;
    super(scope, id, {
      functionName: props.functionName,
      description: "Copies the x-api-key header into the ApiKey query parameter for the authorizer",
      code: { s3Bucket: props.release.edgeBucket, s3Key: props.release.functionKey(EDGE_FUNCTION) },
      architecture: "x86_64",
      timeoutSeconds: 3,
      tracing: false,
      publish: true,
      extraTrust: ["edgelambda.amazonaws.com"],
      logRetentionDays: props.logRetentionDays,
      logGroupArnPattern: `arn:aws:logs:*:${props.accountId}:log-group:${logGroupName}:*`,
      provider: props.usEast1,
      dependsOn: [props.release.guard],
    });
    for (const { region, provider } of props.logRegions) {
      new CloudwatchLogGroup(this, `log-group-${region}`, {
        name: logGroupName,
        retentionInDays: props.logRetentionDays,
        provider,
      });
    }
  }
}
