import { ROUTES } from "../../media-downloader/api/routes";
import { resourcesOf, synthStack, synthesizeInProcess, type StackJson } from "../helpers/synth";

// Staging's values, written down (docs/configuration.md); environment-values.test.ts covers every environment.
const json = synthStack("staging-stack");

/** WORKLOAD.md section 3, "Routes": path, method, function, authorization. */
const ROUTES_FROM_WORKLOAD = [
  ["/files", "GET", "ListFiles", "CUSTOM"],
  ["/device/event", "POST", "DeviceEvent", "NONE"],
  ["/device/register", "POST", "RegisterDevice", "CUSTOM"],
  ["/user/login", "POST", "LoginUser", "NONE"],
  ["/user/logout", "POST", "LogoutUser", "CUSTOM"],
  ["/user/register", "POST", "RegisterUser", "NONE"],
  ["/user/refresh", "POST", "RefreshToken", "CUSTOM"],
  ["/user", "DELETE", "UserDelete", "CUSTOM"],
  ["/user/subscribe", "POST", "UserSubscribe", "CUSTOM"],
  ["/feedly", "POST", "WebhookFeedly", "CUSTOM"],
];

/** Resolves `${aws_x.id.attr}` to the referenced resource's config. */
function deref(expression: unknown): { type: string; id: string; body: Record<string, unknown> } {
  const match = /^\$\{(aws_[a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/.exec(String(expression));
  if (!match) throw new Error(`not a reference: ${String(expression)}`);
  return { type: match[1], id: match[2], body: json.resource[match[1]][match[2]] };
}

function pathOfResource(id: string): string {
  const resource = json.resource.aws_api_gateway_resource[id];
  const parent = String(resource.parent_id);
  const prefix = parent.includes("aws_api_gateway_resource.") ? pathOfResource(deref(parent).id) : "";
  return `${prefix}/${resource.path_part as string}`;
}

test("the routes are exactly WORKLOAD.md's table, each key-protected and proxied to its function", () => {
  const methods = resourcesOf(json, "aws_api_gateway_method").map(([id, method]) => {
    const integration = resourcesOf(json, "aws_api_gateway_integration").find(
      ([, i]) => i.http_method === `\${aws_api_gateway_method.${id}.http_method}`,
    )![1];
    expect(method.api_key_required).toBe(true);
    expect(integration.type).toBe("AWS_PROXY");
    expect(integration.integration_http_method).toBe("POST");
    const fn = deref(integration.uri).body;
    return [
      pathOfResource(deref(method.resource_id).id),
      method.http_method,
      String(fn.function_name).replace(/^stag-/, ""),
      method.authorization,
    ];
  });
  expect(methods.sort()).toEqual([...ROUTES_FROM_WORKLOAD].sort());
});

test("11 resources, a REQUEST authorizer on the ApiKey query parameter with no caching", () => {
  expect(resourcesOf(json, "aws_api_gateway_resource")).toHaveLength(11);
  const [[, authorizer]] = resourcesOf(json, "aws_api_gateway_authorizer");
  expect(authorizer).toMatchObject({
    type: "REQUEST",
    identity_source: "method.request.querystring.ApiKey",
    authorizer_result_ttl_in_seconds: 0,
  });
  expect(deref(authorizer.authorizer_credentials).body.name).toBe("stag-ApiGatewayAuthorizer");
});

test("only the authorizer's role trusts API Gateway, without the aws:SourceAccount key API Gateway does not send", () => {
  for (const [, role] of resourcesOf(json, "aws_iam_role")) {
    const trustsApiGateway = String(role.assume_role_policy).includes("apigateway.amazonaws.com");
    const expected = role.name === "stag-ApiGatewayAuthorizer";
    expect([role.name, trustsApiGateway]).toEqual([role.name, expected]);
  }
  const authorizerRole = resourcesOf(json, "aws_iam_role").find(
    ([, r]) => r.name === "stag-ApiGatewayAuthorizer",
  )![1];
  expect(String(authorizerRole.assume_role_policy)).toMatch(
    /"Service" = \["lambda.amazonaws.com", "apigateway.amazonaws.com"\]/,
  );
  expect(String(authorizerRole.assume_role_policy)).not.toMatch(/Condition/);
});

test("the stage is the configured one, traced, with execution logs retained and no data trace", () => {
  const [[, stage]] = resourcesOf(json, "aws_api_gateway_stage");
  expect(stage.stage_name).toBe("staging");
  expect(stage.xray_tracing_enabled).toBe(true);
  const [[, settings]] = resourcesOf(json, "aws_api_gateway_method_settings");
  expect(settings.settings).toEqual({
    metrics_enabled: true,
    logging_level: "INFO",
    data_trace_enabled: false,
  });
  const executionLogs = resourcesOf(json, "aws_cloudwatch_log_group").find(([, g]) =>
    String(g.name).startsWith("API-Gateway-Execution-Logs_"),
  )![1];
  expect(executionLogs.retention_in_days).toBe(3);
});

test("the usage plan applies the environment's throttle and daily quota to the prefixed key", () => {
  const [[, plan]] = resourcesOf(json, "aws_api_gateway_usage_plan");
  expect(plan.name).toBe("stag-iOSApp");
  expect(plan.throttle_settings).toEqual({ burst_limit: 20, rate_limit: 10 });
  expect(plan.quota_settings).toEqual({ limit: 1000, period: "DAY" });
  const [[, key]] = resourcesOf(json, "aws_api_gateway_api_key");
  expect(key.name).toBe("stag-iOSAppKey");
});

test("the deployment is replaced when any route, resource, authorizer or gateway response changes", () => {
  const [[, deployment]] = resourcesOf(json, "aws_api_gateway_deployment");
  const trigger = String((deployment.triggers as Record<string, string>).redeployment);
  for (const type of [
    "aws_api_gateway_method",
    "aws_api_gateway_integration",
    "aws_api_gateway_resource",
    "aws_api_gateway_authorizer",
    "aws_api_gateway_gateway_response",
  ]) {
    for (const [id] of resourcesOf(json, type)) expect(trigger).toContain(`${type}.${id}`);
  }
  expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
});

function redeploymentTrigger(stack: StackJson): string {
  const [[, deployment]] = resourcesOf(stack, "aws_api_gateway_deployment");
  return String((deployment.triggers as Record<string, string>).redeployment);
}

test("the deployment trigger names attributes, never a whole resource (whose unread fields change at refresh)", () => {
  const trigger = redeploymentTrigger(json);
  const references = [...trigger.matchAll(/(?<![\w".-])(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(\.[a-z_]+)?/g)];
  expect(references.length).toBeGreaterThan(0);
  for (const [reference, , , attribute] of references)
    expect({ reference, attribute }).toEqual({ reference, attribute: expect.any(String) });
});

test("the deployment trigger changes when a route's declared settings change", () => {
  const route = ROUTES.find((r) => r.authorization === "NONE") as { authorization: string } | undefined;
  if (!route) throw new Error("no route without an authorizer to change");
  const before = redeploymentTrigger(json);
  route.authorization = "CUSTOM";
  let after: string;
  try {
    after = redeploymentTrigger(synthesizeInProcess("staging-stack").json);
  } finally {
    route.authorization = "NONE";
  }
  expect(after).not.toBe(before);
});

test("gateway responses add security headers and a JSON error body", () => {
  const responses = resourcesOf(json, "aws_api_gateway_gateway_response").map(([, r]) => r);
  expect(responses.map((r) => r.response_type).sort()).toEqual(["DEFAULT_4XX", "DEFAULT_5XX"]);
  for (const response of responses) {
    expect(response.response_parameters).toMatchObject({
      "gatewayresponse.header.X-Frame-Options": "'DENY'",
      "gatewayresponse.header.Cache-Control": "'no-store'",
    });
  }
});

test("every invoke permission names its source, and no API permission is granted to SendPushNotification", () => {
  const permissions = resourcesOf(json, "aws_lambda_permission").map(([, p]) => p);
  expect(permissions).toHaveLength(13);
  for (const permission of permissions) expect(permission.source_arn).toBeTruthy();
  const apiTargets = permissions
    .filter((p) => p.principal === "apigateway.amazonaws.com")
    .map((p) => String(p.function_name));
  expect(apiTargets.some((t) => t.includes("SendPushNotification"))).toBe(false);
  expect(apiTargets).toHaveLength(10);
});

test("the API distribution forwards to the stage through the edge function, US only", () => {
  const api = resourcesOf(json, "aws_cloudfront_distribution")
    .map(([, d]) => d)
    .find((d) => (d.origin as Array<Record<string, unknown>>)[0].custom_origin_config)!;
  const origin = (api.origin as Array<Record<string, unknown>>)[0];
  expect(origin.origin_path).toBe("/staging");
  const behavior = api.default_cache_behavior as Record<string, unknown>;
  expect(behavior.viewer_protocol_policy).toBe("https-only");
  expect((behavior.lambda_function_association as Array<Record<string, unknown>>)[0]).toMatchObject({
    event_type: "origin-request",
  });
  expect(api.restrictions).toEqual({ geo_restriction: { restriction_type: "whitelist", locations: ["US"] } });
});
