import { ApiGatewayApiKey } from "@cdktf/provider-aws/lib/api-gateway-api-key";
import { ApiGatewayAuthorizer } from "@cdktf/provider-aws/lib/api-gateway-authorizer";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayGatewayResponse } from "@cdktf/provider-aws/lib/api-gateway-gateway-response";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { ApiGatewayUsagePlan } from "@cdktf/provider-aws/lib/api-gateway-usage-plan";
import { ApiGatewayUsagePlanKey } from "@cdktf/provider-aws/lib/api-gateway-usage-plan-key";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { createHash } from "node:crypto";
import { Fn, Token, type TerraformResource } from "cdktf";
import { Construct } from "constructs";
import type { LambdaFunction } from "../functions/lambda-function";
import type { Route } from "./routes";
import { resourcePaths } from "./routes";

export interface RestApiProps {
  readonly apiName: string;
  readonly region: string;
  readonly stageName: string;
  readonly usagePlanName: string;
  readonly apiKeyName: string;
  readonly throttle: { readonly burstLimit: number; readonly rateLimit: number };
  readonly quota: { readonly limit: number; readonly period: "DAY" | "WEEK" | "MONTH" };
  readonly executionLogging: "OFF" | "ERROR" | "INFO";
  readonly logRetentionDays: number;
}

export interface AddRoutesProps {
  readonly routes: readonly Route[];
  readonly handlers: (route: Route) => LambdaFunction;
  /** Request authorizer for CUSTOM routes; it invokes through its own role (authorizer credentials). */
  readonly authorizer: LambdaFunction;
}

const SECURITY_HEADERS = {
  "gatewayresponse.header.X-Content-Type-Options": "'nosniff'",
  "gatewayresponse.header.X-Frame-Options": "'DENY'",
  "gatewayresponse.header.X-XSS-Protection": "'1; mode=block'",
  "gatewayresponse.header.Cache-Control": "'no-store'",
};

/**
 * The REST API: resources, key-protected routes with AWS_PROXY integrations, the request authorizer,
 * uniform error responses, and the stage with its usage plan. Call `addRoutes` once, then `deploy`.
 */
/**
 * What a resource declares, as the deployment trigger hashes it: its literal arguments as a sha1 made at
 * synth (a literal may hold quotes that cdktf would not escape inside an expression), its arguments that
 * reference other resources as those references. It changes exactly when the configuration does.
 * cdktf's synthesizeAttributes is what it writes to cdk.tf.json for the resource.
 */
function declared(resource: TerraformResource): Record<string, unknown> {
  const attributes = (
    resource as unknown as { synthesizeAttributes(): Record<string, unknown> }
  ).synthesizeAttributes();
  const literals: Record<string, unknown> = {};
  const references: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    if (Token.isUnresolved(JSON.stringify(value))) references[name] = value;
    else literals[name] = value;
  }
  return { literals: createHash("sha1").update(JSON.stringify(literals)).digest("hex"), ...references };
}

export class RestApi extends Construct {
  readonly api: ApiGatewayRestApi;
  private readonly props: RestApiProps;
  /** Everything the deployment must be rebuilt for when it changes. */
  private readonly deployed: TerraformResource[] = [];

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    this.props = props;
    this.api = new ApiGatewayRestApi(this, "api", {
      name: props.apiName,
      description: "Offline media downloader API",
      apiKeySource: "HEADER",
      endpointConfiguration: { types: ["REGIONAL"] },
    });
    for (const [type, code] of [
      ["DEFAULT_4XX", "custom-4XX-generic"],
      ["DEFAULT_5XX", "custom-5XX-generic"],
    ] as const) {
      this.deployed.push(
        new ApiGatewayGatewayResponse(this, `response-${type}`, {
          restApiId: this.api.id,
          responseType: type,
          responseParameters: SECURITY_HEADERS,
          responseTemplates: {
            "application/json": `{"error":{"code":"${code}","message":$context.error.messageString},"requestId":"$context.requestId"}`,
          },
        }),
      );
    }
  }

  /** The stage's base URL, built from the API id so functions can know it without a dependency cycle. */
  get url(): string {
    return `https://${this.domain}/${this.props.stageName}`;
  }

  get domain(): string {
    return `${this.api.id}.execute-api.${this.props.region}.amazonaws.com`;
  }

  addRoutes(props: AddRoutesProps): void {
    const authorizer = new ApiGatewayAuthorizer(this, "authorizer", {
      name: props.authorizer.functionName,
      restApiId: this.api.id,
      type: "REQUEST",
      identitySource: "method.request.querystring.ApiKey",
      authorizerResultTtlInSeconds: 0,
      authorizerUri: props.authorizer.invokeArn,
      authorizerCredentials: props.authorizer.role.arn,
    });
    this.deployed.push(authorizer);
    props.authorizer.addToPolicy({
      sid: "ApiGatewayInvokesAuthorizer",
      actions: ["lambda:InvokeFunction"],
      resources: [props.authorizer.arn],
    });

    const resources = new Map<string, ApiGatewayResource>();
    for (const path of resourcePaths(props.routes)) {
      const parent = path.slice(0, path.lastIndexOf("/"));
      const resource = new ApiGatewayResource(this, `resource${path.replace(/\//g, "-")}`, {
        restApiId: this.api.id,
        parentId: parent ? resources.get(parent)!.id : this.api.rootResourceId,
        pathPart: path.slice(path.lastIndexOf("/") + 1),
      });
      resources.set(path, resource);
      this.deployed.push(resource);
    }

    for (const route of props.routes) {
      const id = `${route.method}${route.path.replace(/\//g, "-")}`;
      const handler = props.handlers(route);
      const resource = resources.get(route.path)!;
      const method = new ApiGatewayMethod(this, `method-${id}`, {
        restApiId: this.api.id,
        resourceId: resource.id,
        httpMethod: route.method,
        apiKeyRequired: true,
        authorization: route.authorization,
        authorizerId: route.authorization === "CUSTOM" ? authorizer.id : undefined,
      });
      const integration = new ApiGatewayIntegration(this, `integration-${id}`, {
        restApiId: this.api.id,
        resourceId: resource.id,
        httpMethod: method.httpMethod,
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        uri: handler.invokeArn,
      });
      handler.grantInvoke(
        `api-${id}`,
        "apigateway.amazonaws.com",
        `${this.api.executionArn}/*/${route.method}${route.path}`,
      );
      this.deployed.push(method, integration);
    }
  }

  /** Deploys the routes to the stage, with execution logging, tracing, the usage plan and its key. */
  deploy(): { stage: ApiGatewayStage; apiKey: ApiGatewayApiKey } {
    const props = this.props;
    const deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: this.api.id,
      description: "Managed by cdktf",
      // Any change to what a route, resource, authorizer or response declares redeploys. Not whole-resource
      // references: the provider stores null for optional fields it does not read back on create and ""
      // or {} after the first refresh, so their hash changed once after every apply (found by the
      // emulated apply, lib/emulator).
      triggers: {
        redeployment: Fn.sha1(
          Fn.jsonencode(
            this.deployed.map((r) => ({ [`${r.terraformResourceType}.${r.friendlyUniqueId}`]: declared(r) })),
          ),
        ),
      },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: this.deployed,
    });
    // API Gateway creates this group on first use with no expiry; creating it first keeps the retention.
    const executionLogs = new CloudwatchLogGroup(this, "execution-logs", {
      name: `API-Gateway-Execution-Logs_${this.api.id}/${props.stageName}`,
      retentionInDays: props.logRetentionDays,
    });
    const stage = new ApiGatewayStage(this, "stage", {
      restApiId: this.api.id,
      deploymentId: deployment.id,
      stageName: props.stageName,
      xrayTracingEnabled: true,
      dependsOn: [executionLogs],
    });
    // Execution logging needs the account's API Gateway CloudWatch role: the bootstrap stack owns it.
    new ApiGatewayMethodSettings(this, "method-settings", {
      restApiId: this.api.id,
      stageName: stage.stageName,
      methodPath: "*/*",
      settings: { metricsEnabled: true, loggingLevel: props.executionLogging, dataTraceEnabled: false },
    });
    const plan = new ApiGatewayUsagePlan(this, "usage-plan", {
      name: props.usagePlanName,
      description: "iOS app: throttle and daily quota",
      apiStages: [{ apiId: this.api.id, stage: stage.stageName }],
      throttleSettings: { burstLimit: props.throttle.burstLimit, rateLimit: props.throttle.rateLimit },
      quotaSettings: { limit: props.quota.limit, period: props.quota.period },
    });
    const apiKey = new ApiGatewayApiKey(this, "api-key", { name: props.apiKeyName, enabled: true });
    new ApiGatewayUsagePlanKey(this, "usage-plan-key", {
      keyId: apiKey.id,
      keyType: "API_KEY",
      usagePlanId: plan.id,
    });
    return { stage, apiKey };
  }
}
