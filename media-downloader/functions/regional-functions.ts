import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { policyDocument } from "../iam/policy";
import type { Naming } from "../naming";
import type { DatabaseCluster } from "../storage/dsql-cluster";
import {
  DEFAULT_CODE_UNZIPPED_MB,
  FUNCTION_NAMES,
  FUNCTIONS,
  databaseRoleName,
  type FunctionContext,
  type FunctionName,
  type FunctionSpec,
} from "./catalog";
import { LambdaFunction } from "./lambda-function";
import { adotLayer, DownloadLayers } from "./layers";
import type { Release } from "./release";

/** The ADOT layer's settings, only on functions that carry the layer. */
const ADOT_ENVIRONMENT = (functionName: string) => ({
  OPENTELEMETRY_EXTENSION_LOG_LEVEL: "warn",
  OPENTELEMETRY_COLLECTOR_CONFIG_URI: "/var/task/collector.yaml",
  OTEL_SERVICE_NAME: functionName,
});

export interface RegionalFunctionsProps {
  readonly naming: Naming;
  readonly release: Release;
  readonly database: DatabaseCluster;
  readonly context: FunctionContext;
}

/**
 * Turns every row of the function catalog into a function with its role, log group, telemetry,
 * database access, environment and grants.
 */
export class RegionalFunctions extends Construct {
  private readonly functions = new Map<FunctionName, LambdaFunction>();

  constructor(scope: Construct, id: string, props: RegionalFunctionsProps) {
    super(scope, id);
    const { naming, release, database, context } = props;
    const { config } = context;
    const xray = new IamPolicy(this, "xray-write", {
      name: naming.name("LambdaXRayWrite"),
      description: "Send X-Ray trace segments and telemetry",
      // X-Ray's write actions support no resource-level permissions.
      policy: Fn.jsonencode(
        policyDocument([
          { actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] },
        ]),
      ),
    });
    const downloadLayers = new DownloadLayers(this, "download-layers", {
      namePrefix: naming.prefix,
      release,
    });

    for (const name of FUNCTION_NAMES) {
      const spec: FunctionSpec = FUNCTIONS[name];
      const functionName = naming.name(name);
      const architecture = spec.architecture ?? "arm64";
      const databaseRole = databaseRoleName(name);
      const databasePolicy = {
        connect: [database.connectPolicy.arn],
        admin: [database.adminConnectPolicy.arn],
        none: [],
      }[spec.database];
      const fn = new LambdaFunction(this, name, {
        functionName,
        description: spec.description,
        code: { s3Bucket: release.bucket, s3Key: release.functionKey(name) },
        memoryMb: spec.memoryMb,
        timeoutSeconds: spec.timeoutSeconds,
        architecture,
        ephemeralStorageMb: spec.ephemeralStorageMb,
        reservedConcurrency: spec.reservedConcurrency?.(config),
        // The download layers leave no room for ADOT (250 MB unzipped; see layers.ts): such functions get
        // no telemetry layer and no OTEL variables.
        layers:
          spec.layers === "download" ? downloadLayers.layers : [adotLayer(config.aws.region, architecture)],
        codeUnzippedMb: spec.codeUnzippedMb ?? DEFAULT_CODE_UNZIPPED_MB,
        environment: {
          ...(spec.layers === "download" ? {} : ADOT_ENVIRONMENT(functionName)),
          NODE_OPTIONS: "--no-deprecation",
          LOG_LEVEL: config.logLevel,
          ENVIRONMENT: config.environment,
          DSQL_CLUSTER_ENDPOINT: database.endpoint(config.aws.region),
          DSQL_REGION: config.aws.region,
          ...(databaseRole ? { DSQL_ROLE_NAME: databaseRole } : {}),
          ...spec.environment?.(context),
        },
        // API Gateway documents this trust without aws:SourceAccount/SourceArn for authorizer credentials
        // (docs/design.md defect table, issue 9 item 9); only a principal allowed iam:PassRole on this role can
        // name it as an authorizer's credentials.
        extraTrust: spec.invokedByApiGatewayRole ? ["apigateway.amazonaws.com"] : undefined,
        logRetentionDays: config.logRetentionDays,
        managedPolicyArns: [xray.arn, ...databasePolicy],
        dependsOn: [release.guard],
      });
      spec.grants?.(context, fn);
      this.functions.set(name, fn);
    }
  }

  get(name: FunctionName): LambdaFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`no function ${name}`);
    return fn;
  }

  /** Function names by alarm group. */
  namesIn(group: FunctionSpec["group"]): string[] {
    return FUNCTION_NAMES.filter((name) => (FUNCTIONS[name] as FunctionSpec).group === group).map(
      (name) => this.get(name).functionName,
    );
  }
}
