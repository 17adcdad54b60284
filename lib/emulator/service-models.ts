import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { UserError } from "../cli/cli";

/**
 * botocore's service models (the API definitions the AWS SDKs are generated from), read from the botocore
 * that ships with the emulator: never vendored, so the models always match the emulator in use.
 */

export interface MemberModel {
  readonly shape: string;
  /** uri, querystring, header, headers; absent: in the body. */
  readonly location?: string;
  readonly locationName?: string;
}
export interface ShapeModel {
  readonly type: string;
  readonly members?: Readonly<Record<string, MemberModel>>;
}
export interface OperationModel {
  readonly name: string;
  readonly http: { readonly method: string; readonly requestUri: string };
  readonly input?: { readonly shape: string };
  readonly deprecated?: boolean;
}
export interface ServiceModel {
  readonly metadata: {
    readonly protocol: string;
    readonly protocols?: readonly string[];
    readonly signingName?: string;
    readonly endpointPrefix: string;
    readonly targetPrefix?: string;
  };
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, ShapeModel>>;
}

/**
 * SigV4 signing names whose botocore model lives under another folder name (botocore's data folder is
 * named after the service, the credential scope after the signing name: CloudWatch signs as monitoring).
 */
const MODEL_FOLDER_BY_SIGNING_NAME: Readonly<Record<string, string>> = {
  monitoring: "cloudwatch",
};

let cachedDataDir: string | undefined;

/** botocore's data folder, found through the python3 that runs the emulator. */
export function botocoreDataDir(python = "python3"): string {
  if (cachedDataDir) return cachedDataDir;
  const result = spawnSync(
    python,
    ["-c", "import botocore, os, sys; sys.stdout.write(os.path.dirname(botocore.__file__))"],
    {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    },
  );
  if (result.error || result.status !== 0)
    throw new UserError(
      `botocore is not importable by ${python}: naming recorded requests needs the botocore that comes with moto`,
    );
  const dir = join(result.stdout.trim(), "data");
  if (!existsSync(dir)) throw new UserError(`botocore has no data folder at ${dir}`);
  cachedDataDir = dir;
  return dir;
}

export class ServiceModels {
  private readonly models = new Map<string, ServiceModel | undefined>();

  constructor(private readonly dataDir: string = botocoreDataDir()) {}

  /** The newest API version's model of the service that signs as `signingName`, or undefined. */
  forSigningName(signingName: string): ServiceModel | undefined {
    if (!this.models.has(signingName)) this.models.set(signingName, this.load(signingName));
    return this.models.get(signingName);
  }

  private load(signingName: string): ServiceModel | undefined {
    if (!/^[a-z0-9-]+$/.test(signingName)) return undefined;
    const folder = join(this.dataDir, MODEL_FOLDER_BY_SIGNING_NAME[signingName] ?? signingName);
    if (!existsSync(folder)) return undefined;
    // API versions are dates (YYYY-MM-DD): the newest sorts last.
    const versions = readdirSync(folder)
      .filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v))
      .sort();
    for (const version of versions.reverse()) {
      const plain = join(folder, version, "service-2.json");
      const text = existsSync(plain)
        ? readFileSync(plain, "utf8")
        : existsSync(`${plain}.gz`)
          ? gunzipSync(readFileSync(`${plain}.gz`)).toString("utf8")
          : undefined;
      if (text === undefined) continue;
      const model = JSON.parse(text) as ServiceModel;
      const name = model.metadata.signingName ?? model.metadata.endpointPrefix;
      return name === signingName ? model : undefined;
    }
    return undefined;
  }
}

/** One REST operation's `requestUri`, compiled. */
interface UriTemplate {
  readonly operation: OperationModel;
  readonly path: RegExp;
  /** The same with every label allowed to hold "/" (for labels the recorder stored unescaped). */
  readonly loosePath: RegExp;
  readonly labels: readonly string[];
  /** Query discriminators: key, and the value it must have when the template gives one. */
  readonly query: readonly { readonly key: string; readonly value?: string }[];
  /** Characters of the path fixed by the template: more is more specific. */
  readonly literalLength: number;
  readonly greedy: boolean;
}

const templates = new WeakMap<ServiceModel, UriTemplate[]>();

function compile(model: ServiceModel): UriTemplate[] {
  const known = templates.get(model);
  if (known) return known;
  const compiled = Object.values(model.operations).map((operation) => {
    const [pathPart, queryPart = ""] = operation.http.requestUri.split("?", 2);
    const labels: string[] = [];
    let literalLength = 0;
    let greedy = false;
    const parts = pathPart.split(/(\{[^}]+\})/).map((part) => {
      const label = /^\{([^}+]+)(\+?)\}$/.exec(part);
      if (!label) {
        literalLength += part.length;
        return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }
      labels.push(label[1]);
      if (label[2]) greedy = true;
      return label[2] ? "(.+)" : "([^/]+)";
    });
    const pattern = parts.join("");
    const query = queryPart
      .split("&")
      .filter(Boolean)
      .map((pair) => {
        const [key, value] = pair.split("=", 2);
        return value === undefined ? { key } : { key, value };
      });
    // A trailing slash is optional in the request ("/2015-03-31/functions/" is "/2015-03-31/functions").
    const path = new RegExp(`^${pattern.replace(/\/$/, "")}/?$`);
    const loosePath = new RegExp(`^${pattern.replace(/\/$/, "").replace(/\(\[\^\/\]\+\)/g, "(.+)")}/?$`);
    return { operation, path, labels, query, literalLength, greedy, loosePath };
  });
  templates.set(model, compiled);
  return compiled;
}

export interface RestMatch {
  readonly operation: OperationModel;
  /** URI label → decoded value. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The operation whose method and `requestUri` template match a REST request: every query discriminator
 * of the template present (`/{Bucket}?tagging`), the most specific template winning (most fixed path
 * characters, then most discriminators, then a non-greedy one), and a deprecated alias losing to the
 * current operation with the same template (GetBucketLifecycle vs GetBucketLifecycleConfiguration).
 * Undefined when none matches, an error message when two remain equally good. `only` restricts the
 * match to one operation (the Go SDK names S3 object operations in an `x-id` query parameter).
 */
export function matchRest(
  model: ServiceModel,
  method: string,
  path: string,
  query: URLSearchParams,
  only?: string,
): RestMatch | string | undefined {
  // Strictly first; then letting labels hold "/": moto's recorder writes the decoded path, so an ARN
  // label (DSQL's `/tags/{resourceArn}`) arrives with its slashes unescaped.
  const candidates = candidatesFor(model, method, path, query, only, "path");
  if (candidates.length === 0)
    candidates.push(...candidatesFor(model, method, path, query, only, "loosePath"));
  if (candidates.length === 0) return undefined;
  const score = (t: UriTemplate) => [
    t.literalLength,
    t.query.length,
    t.greedy ? 0 : 1,
    t.operation.deprecated ? 0 : 1,
  ];
  const compare = (a: UriTemplate, b: UriTemplate) => {
    const sa = score(a);
    const sb = score(b);
    for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sb[i] - sa[i];
    return 0;
  };
  candidates.sort((a, b) => compare(a.template, b.template));
  if (candidates.length > 1 && compare(candidates[0].template, candidates[1].template) === 0)
    return `ambiguous: ${candidates[0].template.operation.name} and ${candidates[1].template.operation.name} both match ${method} ${path}`;
  const best = candidates[0];
  const labels: Record<string, string> = {};
  // Greedy labels ({Key+}) keep their slashes; decoding the whole value turns %2F into "/" as S3 does.
  best.template.labels.forEach((label, i) => (labels[label] = safeDecode(best.values[i])));
  return { operation: best.template.operation, labels };
}

function candidatesFor(
  model: ServiceModel,
  method: string,
  path: string,
  query: URLSearchParams,
  only: string | undefined,
  which: "path" | "loosePath",
): { template: UriTemplate; values: string[] }[] {
  const candidates: { template: UriTemplate; values: string[] }[] = [];
  for (const template of compile(model)) {
    if (template.operation.http.method !== method) continue;
    if (only !== undefined && template.operation.name !== only) continue;
    if (
      !template.query.every(
        (q) => query.has(q.key) && (q.value === undefined || query.get(q.key) === q.value),
      )
    )
      continue;
    const match = template[which].exec(path);
    if (match) candidates.push({ template, values: match.slice(1) });
  }
  return candidates;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
