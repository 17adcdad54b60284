import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaFunction as LambdaFunctionResource } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { DECLARED_SIZES_KEY } from "../../policies/rules/lambda-package-limits";
import type { IGrantable, PolicyStatement } from "../iam/policy";
import { ServiceRole, type TrustedService } from "../iam/service-role";

export const LAMBDA_RUNTIME = "nodejs22.x";

/** A layer with its declared unzipped size, which the lambda-package-limits policy adds up. */
export interface DeclaredLayer {
  readonly name: string;
  readonly arn: string;
  readonly unzippedMb: number;
}

export interface LambdaFunctionProps {
  /** Full function name; also the role name and the log group suffix. */
  readonly functionName: string;
  readonly description: string;
  readonly code: { readonly s3Bucket: string; readonly s3Key: string };
  /** @default 128 */
  readonly memoryMb?: number;
  /** @default 30 */
  readonly timeoutSeconds?: number;
  /** @default arm64 */
  readonly architecture?: "arm64" | "x86_64";
  /** @default 512 (the Lambda default) */
  readonly ephemeralStorageMb?: number;
  /** @default unreserved */
  readonly reservedConcurrency?: number;
  readonly environment?: Readonly<Record<string, string>>;
  readonly layers?: readonly DeclaredLayer[];
  /** Declared unzipped size of the function's own code (MB). @default none declared */
  readonly codeUnzippedMb?: number;
  /** X-Ray active tracing. @default true */
  readonly tracing?: boolean;
  /** Publish a version (Lambda@Edge needs one). @default false */
  readonly publish?: boolean;
  /** Service principals besides lambda.amazonaws.com that assume the role. @default none */
  readonly extraTrust?: readonly string[];
  /** Services that assume the role only under a condition. @default none */
  readonly conditionalTrust?: readonly TrustedService[];
  /**
   * The log group this construct creates and retains for the function. Lambda@Edge writes to groups in
   * every region it runs in, so edge functions pass `logGroupArnPattern` instead and manage groups themselves.
   */
  readonly logRetentionDays: number;
  readonly logGroupArnPattern?: string;
  /** Shared managed policies (X-Ray, DSQL connect). */
  readonly managedPolicyArns?: readonly string[];
  readonly provider?: AwsProvider;
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One Lambda function with what it always needs: its own role (logging on its own log group only),
 * a retained log group created before the function, and invoke permissions that name their source.
 */
export class LambdaFunction extends Construct implements IGrantable {
  readonly fn: LambdaFunctionResource;
  readonly role: ServiceRole;
  readonly logGroup?: CloudwatchLogGroup;
  /** The function's reserved concurrency, when it has one. */
  readonly reservedConcurrency?: number;

  constructor(scope: Construct, id: string, props: LambdaFunctionProps) {
    super(scope, id);
    this.reservedConcurrency = props.reservedConcurrency;
    this.role = new ServiceRole(this, "role", {
      name: props.functionName,
      assumedBy: ["lambda.amazonaws.com", ...(props.extraTrust ?? [])],
      conditionalTrust: props.conditionalTrust,
      managedPolicyArns: props.managedPolicyArns,
    });

    let logGroupArn = props.logGroupArnPattern;
    if (!logGroupArn) {
      this.logGroup = new CloudwatchLogGroup(this, "log-group", {
        name: `/aws/lambda/${props.functionName}`,
        retentionInDays: props.logRetentionDays,
      });
      logGroupArn = `${this.logGroup.arn}:*`;
    }
    this.role.addToPolicy({
      sid: "WriteOwnLogs",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: [logGroupArn],
    });
    if (props.logGroupArnPattern) {
      // Edge replicas create their regional groups on first use.
      this.role.addToPolicy({
        sid: "CreateEdgeLogGroups",
        actions: ["logs:CreateLogGroup"],
        // Both forms of a log group's ARN (without and with CloudWatch Logs' trailing ":*").
        resources: [logGroupArn.replace(/:\*$/, ""), logGroupArn],
      });
    }

    const environment = props.environment ?? {};
    this.fn = new LambdaFunctionResource(this, "function", {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      handler: "index.handler",
      s3Bucket: props.code.s3Bucket,
      s3Key: props.code.s3Key,
      memorySize: props.memoryMb ?? 128,
      timeout: props.timeoutSeconds ?? 30,
      architectures: [props.architecture ?? "arm64"],
      ephemeralStorage: props.ephemeralStorageMb ? { size: props.ephemeralStorageMb } : undefined,
      reservedConcurrentExecutions: props.reservedConcurrency,
      layers: props.layers && props.layers.length > 0 ? props.layers.map((layer) => layer.arn) : undefined,
      environment: Object.keys(environment).length > 0 ? { variables: { ...environment } } : undefined,
      tracingConfig: props.tracing === false ? undefined : { mode: "Active" },
      publish: props.publish,
      provider: props.provider,
      dependsOn: [...(this.logGroup ? [this.logGroup] : []), ...(props.dependsOn ?? [])],
    });
    // Recorded in the block's "//" comment (Terraform and OpenTofu ignore it) for lambda-package-limits.
    if (props.codeUnzippedMb !== undefined || (props.layers ?? []).length > 0) {
      this.fn.addOverride(`//.${DECLARED_SIZES_KEY}`, {
        ...(props.codeUnzippedMb !== undefined ? { code: props.codeUnzippedMb } : {}),
        layers: Object.fromEntries((props.layers ?? []).map((layer) => [layer.name, layer.unzippedMb])),
      });
    }
  }

  get functionName(): string {
    return this.fn.functionName;
  }

  get arn(): string {
    return this.fn.arn;
  }

  get invokeArn(): string {
    return this.fn.invokeArn;
  }

  get qualifiedArn(): string {
    return this.fn.qualifiedArn;
  }

  addToPolicy(statement: PolicyStatement): void {
    this.role.addToPolicy(statement);
  }

  /** Lets an AWS service invoke the function, only from `sourceArn`. */
  grantInvoke(id: string, principal: string, sourceArn: string, sourceAccount?: string): LambdaPermission {
    return new LambdaPermission(this, `invoke-${id}`, {
      statementId: `Allow-${id}`,
      action: "lambda:InvokeFunction",
      functionName: this.fn.functionName,
      principal,
      sourceArn,
      sourceAccount,
    });
  }
}
