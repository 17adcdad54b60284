import { readFileSync } from "node:fs";
import { UserError } from "../cli/cli";
import { decodeCbor } from "./cbor";
import { iamRequests, type IamRequest } from "./iam-actions";
import { matchRest, ServiceModels, type ServiceModel } from "./service-models";

/**
 * The requests a Terraform run made against the emulator, as moto's recorder wrote them
 * (`MOTO_RECORDER_FILEPATH`, one JSON object a line), the AWS operation each one is, and the IAM requests
 * (lib/emulator/iam-actions.ts) AWS would evaluate for it.
 *
 * For the identity checks: `summarizeCalls(phase, readRecording(file))`; fail with its `unnamed` when not
 * empty; evaluate each of its `iamRequests` ({action, resource, context}) with the simulator
 * (`decide` in __tests__/helpers/iam-simulation.ts), after `withResourceTags` when conditions on
 * `aws:ResourceTag` matter. `notNeeded` lists the calls that need no permission, `referenceGap` marks a
 * request the simulator refuses though AWS evaluates it.
 */

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text (the recorder base64-encodes it when `body_encoded`). */
  readonly body: string;
  /** The body's bytes, for binary protocols (CBOR); `body` as UTF-8 when absent. */
  readonly bodyBytes?: Buffer;
  /** 1-based line in the recording, for messages. */
  readonly line: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every request of a recorder file; a line that is no recorded request is a UserError naming it. */
export function readRecording(file: string): RecordedRequest[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UserError(
      `cannot read the recording ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const requests: RecordedRequest[] = [];
  text.split("\n").forEach((raw, index) => {
    if (raw.trim() === "") return;
    const at = `${file}:${index + 1}`;
    let entry: unknown;
    try {
      entry = JSON.parse(raw);
    } catch {
      throw new UserError(`${at}: not JSON (expected one recorded request a line)`);
    }
    if (!isRecord(entry) || typeof entry.method !== "string" || typeof entry.url !== "string")
      throw new UserError(`${at}: expected an object with "method" and "url" strings`);
    if (entry.headers !== undefined && !isRecord(entry.headers))
      throw new UserError(`${at}: "headers" must be an object`);
    if (entry.body !== undefined && entry.body !== null && typeof entry.body !== "string")
      throw new UserError(`${at}: "body" must be a string or null`);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(entry.headers ?? {}))
      headers[name.toLowerCase()] = String(value);
    const body = typeof entry.body === "string" ? entry.body : "";
    requests.push({
      method: entry.method.toUpperCase(),
      url: entry.url,
      headers,
      body: entry.body_encoded === true ? Buffer.from(body, "base64").toString("utf8") : body,
      bodyBytes: entry.body_encoded === true ? Buffer.from(body, "base64") : Buffer.from(body, "utf8"),
      line: index + 1,
    });
  });
  return requests;
}

export type Protocol = "json" | "query" | "rest-json" | "rest-xml" | "smithy-rpc-v2-cbor";

export interface NamedOperation {
  /** The SigV4 credential scope's service (the signing name: `monitoring` for CloudWatch). */
  readonly service: string;
  /** The credential scope's region. */
  readonly region: string;
  /** The API operation, as the service's API reference names it (CloudFront's date suffix removed). */
  readonly operation: string;
  readonly protocol: Protocol;
  /**
   * The request's parameters by the input member names of botocore's model (path labels, query string,
   * headers, JSON body); for query protocols the form fields as sent (`Tags.member.1.Key`).
   */
  readonly params: Readonly<Record<string, unknown>>;
  /** The raw body (XML for rest-xml services), for what params do not hold. */
  readonly body: string;
}

export interface Unnamed {
  readonly unnamed: string;
}

/** CloudFront's operation names carry the API version (CreateDistributionWithTags2020_05_31). */
const API_VERSION_SUFFIX = /\d{4}_\d{2}_\d{2}$/;

let defaultModels: ServiceModels | undefined;

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function parseJson(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** The credential scope of a SigV4 Authorization header: `Credential=<key>/<date>/<region>/<service>/aws4_request`. */
function credentialScope(request: RecordedRequest): { region: string; service: string } | undefined {
  const match = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]*)\/([^/,\s]+)\/aws4_request/.exec(
    request.headers.authorization ?? "",
  );
  return match ? { region: match[1], service: match[2] } : undefined;
}

function describe(request: RecordedRequest): string {
  return `line ${request.line}: ${request.method} ${request.url}`;
}

/**
 * The AWS operation a recorded request is: the service and region from the SigV4 credential scope, the
 * operation from `X-Amz-Target` (JSON protocols), `Action=` (query protocols) or the method and path
 * matched against botocore's `requestUri` templates (REST protocols). Unnamed (with the reason) when any
 * of that fails: the caller reports it, so no call goes unchecked.
 */
export function nameOperation(
  request: RecordedRequest,
  models: ServiceModels = (defaultModels ??= new ServiceModels()),
): NamedOperation | Unnamed {
  const scope = credentialScope(request);
  if (!scope) return { unnamed: `${describe(request)}: no SigV4 credential scope in Authorization` };
  const model = models.forSigningName(scope.service);
  if (!model) return { unnamed: `${describe(request)}: no botocore model signs as "${scope.service}"` };
  const url = new URL(request.url, "http://emulator");
  const found = operationOf(request, url, model);
  if ("unnamed" in found) return { unnamed: `${describe(request)}: ${found.unnamed}` };
  return {
    service: scope.service,
    region: scope.region,
    operation: found.name.replace(API_VERSION_SUFFIX, ""),
    protocol: found.protocol,
    params: found.params,
    body: request.body,
  };
}

interface Found {
  readonly name: string;
  readonly protocol: Protocol;
  readonly params: Record<string, unknown>;
}

function operationOf(request: RecordedRequest, url: URL, model: ServiceModel): Found | Unnamed {
  const known = (name: string) =>
    model.operations[name]
      ? undefined
      : { unnamed: `${name} is no operation of botocore's ${model.metadata.endpointPrefix} model` };

  const target = request.headers["x-amz-target"];
  if (target !== undefined) {
    const name = target.slice(target.lastIndexOf(".") + 1);
    return known(name) ?? { name, protocol: "json", params: parseJson(request.body) };
  }

  const contentType = request.headers["content-type"] ?? "";
  const form = contentType.startsWith("application/x-www-form-urlencoded")
    ? new URLSearchParams(request.body)
    : new URLSearchParams();
  const action = form.get("Action") ?? url.searchParams.get("Action");
  if (action !== null) {
    const params: Record<string, unknown> = {};
    for (const [key, value] of [...url.searchParams, ...form]) params[key] = value;
    return known(action) ?? { name: action, protocol: "query", params };
  }

  const rpc = /^\/service\/[^/]+\/operation\/([^/]+)$/.exec(url.pathname);
  if (rpc && request.headers["smithy-protocol"] === "rpc-v2-cbor")
    return (
      known(rpc[1]) ?? {
        name: rpc[1],
        protocol: "smithy-rpc-v2-cbor",
        params: asRecord(decodeCbor(request.bodyBytes ?? Buffer.from(request.body, "utf8"))),
      }
    );

  const protocol = model.metadata.protocol;
  if (protocol !== "rest-json" && protocol !== "rest-xml")
    return { unnamed: `neither X-Amz-Target nor Action= on a ${protocol} service` };
  // The Go SDK names S3 object operations in `x-id` (`?x-id=CopyObject`).
  const xId =
    model.metadata.endpointPrefix === "s3" ? (url.searchParams.get("x-id") ?? undefined) : undefined;
  const match = matchRest(model, request.method, url.pathname, url.searchParams, xId);
  if (match === undefined) return { unnamed: `no ${protocol} operation's requestUri matches` };
  if (typeof match === "string") return { unnamed: match };
  return {
    name: match.operation.name,
    protocol,
    params: restParams(model, match.operation.input?.shape, match.labels, url, request, protocol),
  };
}

/** A REST request's parameters by input member name: path labels, query string, headers, JSON body. */
function restParams(
  model: ServiceModel,
  inputShape: string | undefined,
  labels: Readonly<Record<string, string>>,
  url: URL,
  request: RecordedRequest,
  protocol: Protocol,
): Record<string, unknown> {
  const params: Record<string, unknown> = protocol === "rest-json" ? parseJson(request.body) : {};
  const members = (inputShape && model.shapes[inputShape]?.members) || {};
  for (const [name, member] of Object.entries(members)) {
    const wire = member.locationName ?? name;
    if (member.location === "uri" && labels[wire] !== undefined) params[name] = labels[wire];
    else if (member.location === "querystring" && url.searchParams.has(wire))
      params[name] = url.searchParams.get(wire);
    else if (member.location === "header" && request.headers[wire.toLowerCase()] !== undefined)
      params[name] = request.headers[wire.toLowerCase()];
  }
  return params;
}

export interface UnnamedCall {
  readonly line: number;
  readonly method: string;
  readonly url: string;
  readonly reason: string;
}

export interface PhaseCalls {
  readonly phase: string;
  readonly requests: number;
  /** Distinct `<signing name>:<Operation>`, sorted. */
  readonly operations: readonly string[];
  /** Distinct IAM actions, sorted. */
  readonly actions: readonly string[];
  /** Distinct IAM requests (action, resource, context), in first-seen order: what to simulate. */
  readonly iamRequests: readonly IamRequest[];
  /** Calls that need no permission, with why (distinct). */
  readonly notNeeded: readonly { readonly operation: string; readonly reason: string }[];
  /** Requests that could not be named or mapped: the caller fails with them. */
  readonly unnamed: readonly UnnamedCall[];
}

/** Names every request of one phase (apply, refresh, destroy) and collects the IAM requests to simulate. */
export function summarizeCalls(
  phase: string,
  requests: readonly RecordedRequest[],
  options: { readonly account?: string; readonly models?: ServiceModels } = {},
): PhaseCalls {
  const operations = new Set<string>();
  const pairs = new Map<string, IamRequest>();
  const notNeeded = new Map<string, { operation: string; reason: string }>();
  const unnamed: UnnamedCall[] = [];
  for (const request of requests) {
    const named = nameOperation(request, options.models);
    const where = { line: request.line, method: request.method, url: request.url };
    if ("unnamed" in named) {
      unnamed.push({ ...where, reason: named.unnamed });
      continue;
    }
    const operation = `${named.service}:${named.operation}`;
    operations.add(operation);
    const mapping = iamRequests(named, request, options.account);
    if ("unnamed" in mapping) unnamed.push({ ...where, reason: mapping.unnamed });
    else if ("notNeeded" in mapping)
      notNeeded.set(`${operation}\n${mapping.notNeeded}`, { operation, reason: mapping.notNeeded });
    else
      for (const r of mapping.requests) {
        const key = JSON.stringify([r.action, r.resource, Object.entries(r.context).sort()]);
        if (!pairs.has(key)) pairs.set(key, r);
      }
  }
  return {
    phase,
    requests: requests.length,
    operations: [...operations].sort(),
    actions: [...new Set([...pairs.values()].map((r) => r.action))].sort(),
    iamRequests: [...pairs.values()],
    notNeeded: [...notNeeded.values()],
    unnamed,
  };
}

/**
 * The tags each resource was created with, by ARN, as the recorded create calls name them (their
 * `aws:RequestTag/<key>` context): what AWS would put in a later call's `aws:ResourceTag/<key>`. Only what
 * the requests show: resources whose id AWS assigns (distributions, clusters, REST APIs) are missing, since
 * the recorder keeps no responses, and so are tags set by calls without request-tag keys (S3 buckets).
 */
export function resourceTagsFrom(requests: readonly IamRequest[]): Map<string, Record<string, string>> {
  const tags = new Map<string, Record<string, string>>();
  for (const r of requests) {
    if (r.resource.includes("*")) continue;
    const set = Object.entries(r.context).filter(
      (e): e is [string, string] => e[0].startsWith("aws:RequestTag/") && typeof e[1] === "string",
    );
    if (set.length === 0) continue;
    const known = tags.get(sameResource(r.resource)) ?? {};
    for (const [key, value] of set) known[key.slice("aws:RequestTag/".length)] = value;
    tags.set(sameResource(r.resource), known);
  }
  return tags;
}

/** Each request with `aws:ResourceTag/<key>` for the tags its resource is known to carry. */
export function withResourceTags(
  requests: readonly IamRequest[],
  tags: ReadonlyMap<string, Readonly<Record<string, string>>>,
): IamRequest[] {
  return requests.map((r) => {
    const known = tags.get(sameResource(r.resource));
    if (!known) return r;
    const context: Record<string, string | string[]> = { ...r.context };
    for (const [key, value] of Object.entries(known)) context[`aws:ResourceTag/${key}`] = value;
    return { ...r, context };
  });
}

/** A log group's ARN with and without its trailing `:*` names the same group. */
function sameResource(arn: string): string {
  return arn.replace(/(:log-group:[^:]+):\*$/, "$1");
}
