import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Keeps Terraform JSON inside what Terraform (1.10+) and OpenTofu (1.10+) both read the same way. Run on
 * every synthesized stack and every preview working copy (`npm test`, `npm run preview`). One finding
 * per problem: the rule id, where (a JSON path), and what was expected.
 */

export interface SubsetFinding {
  readonly rule: SubsetRule;
  /** File (when known) and JSON path, e.g. `cdk.tf.json: terraform.encryption`. */
  readonly where: string;
  readonly message: string;
}

export type SubsetRule =
  | "top-level-keys"
  | "comment-placement"
  | "terraform-block"
  | "backend"
  | "provider-source"
  | "provider-for-each"
  | "lifecycle-enabled"
  | "ephemeral"
  | "write-only"
  | "removed-destroy"
  | "functions"
  | "tofu-files";

export const TOP_LEVEL_KEYS: readonly string[] = [
  "terraform",
  "provider",
  "resource",
  "data",
  "locals",
  "output",
  "variable",
  "module",
  "moved",
  "import",
  "removed",
  "check",
  "//",
];

/** terraform-block keys both engines know and handle alike (not `encryption`: OpenTofu only; not `cloud`). */
export const TERRAFORM_BLOCK_KEYS: readonly string[] = ["backend", "required_providers", "required_version"];

/**
 * S3 backend settings in both engines. Source: the top-level attributes of ConfigSchema in
 * internal/backend/remote-state/s3/backend.go of Terraform v1.10.0 and v1.11.4 and OpenTofu v1.10.0 and
 * v1.11.14 (the intersection; OpenTofu's extra role_arn, session_name, external_id, assume_role_* are
 * left out). `local` (path only) is what the preview's working copies use.
 */
export const SHARED_BACKENDS: Readonly<Record<string, readonly string[]>> = {
  s3: [
    "access_key", "acl", "allowed_account_ids", "assume_role", "assume_role_with_web_identity", "bucket",
    "custom_ca_bundle", "dynamodb_endpoint", "dynamodb_table", "ec2_metadata_service_endpoint",
    "ec2_metadata_service_endpoint_mode", "encrypt", "endpoint", "endpoints", "forbidden_account_ids",
    "force_path_style", "http_proxy", "https_proxy", "iam_endpoint", "insecure", "key", "kms_key_id",
    "max_retries", "no_proxy", "profile", "region", "retry_mode", "secret_key", "shared_config_files",
    "shared_credentials_file", "shared_credentials_files", "skip_credentials_validation",
    "skip_metadata_api_check", "skip_region_validation", "skip_requesting_account_id", "skip_s3_checksum",
    "sse_customer_key", "sts_endpoint", "sts_region", "token", "use_dualstack_endpoint", "use_fips_endpoint",
    "use_lockfile", "use_path_style", "workspace_key_prefix",
  ],
  local: ["path"],
}; // prettier-ignore

/**
 * Functions both engines provide. Source: the keys of DescriptionList in internal/lang/funcs/descriptions.go
 * of Terraform v1.10.0 and v1.11.4 and OpenTofu v1.10.0, v1.11.14 and v1.12.6 (the intersection, 120
 * names), without `type` (console only) and `list`/`map` (removed in 0.12, an error in both). Left out
 * because one engine lacks them: OpenTofu's base64gunzip, cidrcontains, urldecode; ephemeralasnull
 * (Terraform 1.10+, OpenTofu 1.11+); provider-defined `provider::` functions.
 */
export const SHARED_FUNCTIONS: ReadonlySet<string> = new Set([
  "abs", "abspath", "alltrue", "anytrue", "base64decode", "base64encode", "base64gzip", "base64sha256",
  "base64sha512", "basename", "bcrypt", "can", "ceil", "chomp", "chunklist", "cidrhost", "cidrnetmask",
  "cidrsubnet", "cidrsubnets", "coalesce", "coalescelist", "compact", "concat", "contains", "csvdecode",
  "dirname", "distinct", "element", "endswith", "file", "filebase64", "filebase64sha256", "filebase64sha512",
  "fileexists", "filemd5", "fileset", "filesha1", "filesha256", "filesha512", "flatten", "floor", "format",
  "formatdate", "formatlist", "indent", "index", "issensitive", "join", "jsondecode", "jsonencode", "keys",
  "length", "log", "lookup", "lower", "matchkeys", "max", "md5", "merge", "min", "nonsensitive", "one",
  "parseint", "pathexpand", "plantimestamp", "pow", "range", "regex", "regexall", "replace", "reverse",
  "rsadecrypt", "sensitive", "setintersection", "setproduct", "setsubtract", "setunion", "sha1", "sha256",
  "sha512", "signum", "slice", "sort", "split", "startswith", "strcontains", "strrev", "substr", "sum",
  "templatefile", "templatestring", "textdecodebase64", "textencodebase64", "timeadd", "timecmp",
  "timestamp", "title", "tobool", "tolist", "tomap", "tonumber", "toset", "tostring", "transpose", "trim",
  "trimprefix", "trimspace", "trimsuffix", "try", "upper", "urlencode", "uuid", "uuidv5", "values",
  "yamldecode", "yamlencode", "zipmap",
]); // prettier-ignore

/**
 * Write-only arguments (Terraform 1.11+, not in OpenTofu 1.10): the AWS provider names them `*_wo`, with
 * a `*_wo_version` companion (provider 5.87+ docs, e.g. aws_db_instance password_wo).
 */
const WRITE_ONLY = /_wo(_version)?$/;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A block written as one object or as an array of objects (HCL JSON allows both). */
function bodies(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}

/** The interpolation sequences `${ ... }` of a template string (`$${` is an escaped literal). */
export function interpolations(template: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < template.length; i++) {
    if (template[i] === "$" && template[i + 1] === "$" && template[i + 2] === "{") {
      i += 2;
      continue;
    }
    if (template[i] !== "$" || template[i + 1] !== "{") continue;
    let depth = 1;
    let quote = false;
    let j = i + 2;
    for (; j < template.length && depth > 0; j++) {
      const c = template[j];
      if (quote) {
        if (c === "\\") j++;
        else if (c === '"') quote = false;
      } else if (c === '"') quote = true;
      else if (c === "{") depth++;
      else if (c === "}") depth--;
    }
    found.push(template.slice(i + 2, j - 1));
    i = j - 1;
  }
  return found;
}

/** Names called in an expression (`name(`), outside its string literals; namespaced ones with `::`. */
export function calledFunctions(expression: string): string[] {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...code.matchAll(/(?<![\w.])((?:[A-Za-z_][\w-]*::)*[A-Za-z_][\w-]*)\s*\(/g)].map((m) => m[1]);
}

function walkStrings(value: unknown, path: string, visit: (s: string, path: string) => void): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, `${path}[${i}]`, visit));
  else if (isRecord(value))
    for (const [k, v] of Object.entries(value)) walkStrings(v, path ? `${path}.${k}` : k, visit);
}

/** Checks one Terraform JSON document (a `*.tf.json` file's content). */
export function checkSubset(json: unknown, file = ""): SubsetFinding[] {
  const findings: SubsetFinding[] = [];
  const at = (path: string) => (file ? `${file}: ${path}` : path);
  const add = (rule: SubsetRule, path: string, message: string) =>
    findings.push({ rule, where: at(path), message });
  if (!isRecord(json)) {
    add("top-level-keys", "(root)", "expected a JSON object");
    return findings;
  }

  for (const key of Object.keys(json)) {
    if (key === "ephemeral") add("ephemeral", key, "ephemeral resources are not in OpenTofu 1.10");
    else if (!TOP_LEVEL_KEYS.includes(key))
      add("top-level-keys", key, `unexpected top-level key; expected one of ${TOP_LEVEL_KEYS.join(", ")}`);
  }

  // `//` is a comment only where HCL JSON reads a block body; anywhere else it is a real key (a tag, say).
  const bodyLevels = new Set<unknown>([json]);
  for (const terraform of bodies(json.terraform)) {
    bodyLevels.add(terraform);
    for (const backend of bodies(terraform.backend))
      for (const settings of Object.values(backend)) bodies(settings).forEach((b) => bodyLevels.add(b));
  }
  for (const kind of ["resource", "data"]) {
    for (const byName of Object.values(isRecord(json[kind]) ? json[kind] : {}))
      for (const block of Object.values(isRecord(byName) ? byName : {}))
        for (const body of bodies(block)) {
          bodyLevels.add(body);
          bodies(body.lifecycle).forEach((b) => bodyLevels.add(b));
        }
  }
  for (const kind of ["provider", "output", "variable", "module", "check"])
    for (const block of Object.values(isRecord(json[kind]) ? json[kind] : {}))
      bodies(block).forEach((b) => bodyLevels.add(b));
  for (const kind of ["locals", "moved", "import", "removed"])
    bodies(json[kind]).forEach((b) => bodyLevels.add(b));
  const findComments = (value: unknown, path: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => findComments(v, `${path}[${i}]`));
    else if (isRecord(value))
      for (const [k, v] of Object.entries(value)) {
        const child = path ? `${path}.${k}` : k;
        if (k === "//" && !bodyLevels.has(value))
          add(
            "comment-placement",
            child,
            "`//` is a comment only at block-body level; here it would be a key",
          );
        if (k !== "//") findComments(v, child);
      }
  };
  findComments(json, "");

  for (const terraform of bodies(json.terraform)) {
    for (const key of Object.keys(terraform)) {
      if (key === "//") continue;
      if (!TERRAFORM_BLOCK_KEYS.includes(key))
        add("terraform-block", `terraform.${key}`, `expected only ${TERRAFORM_BLOCK_KEYS.join(", ")}`);
    }
    for (const backend of bodies(terraform.backend)) {
      for (const [type, settings] of Object.entries(backend)) {
        const known = SHARED_BACKENDS[type];
        if (!known) {
          add(
            "backend",
            `terraform.backend.${type}`,
            `expected a ${Object.keys(SHARED_BACKENDS).join(" or ")} backend`,
          );
          continue;
        }
        for (const body of bodies(settings))
          for (const key of Object.keys(body))
            if (key !== "//" && !known.includes(key))
              add(
                "backend",
                `terraform.backend.${type}.${key}`,
                `not a ${type} backend setting both engines know`,
              );
      }
    }
    for (const [name, requirement] of Object.entries(
      isRecord(terraform.required_providers) ? terraform.required_providers : {},
    )) {
      const source = isRecord(requirement) ? requirement.source : undefined;
      if (typeof source !== "string" || !/^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/i.test(source))
        add(
          "provider-source",
          `terraform.required_providers.${name}.source`,
          `expected namespace/type without a registry host (each engine adds its own), got ${JSON.stringify(source)}`,
        );
    }
  }

  for (const [name, block] of Object.entries(isRecord(json.provider) ? json.provider : {}))
    bodies(block).forEach((body, i) => {
      if ("for_each" in body)
        add("provider-for-each", `provider.${name}[${i}].for_each`, "provider for_each is OpenTofu only");
    });

  for (const kind of ["resource", "data"]) {
    for (const [type, byName] of Object.entries(isRecord(json[kind]) ? json[kind] : {}))
      for (const [name, block] of Object.entries(isRecord(byName) ? byName : {}))
        for (const body of bodies(block)) {
          const path = `${kind}.${type}.${name}`;
          for (const lifecycle of bodies(body.lifecycle))
            if ("enabled" in lifecycle)
              add("lifecycle-enabled", `${path}.lifecycle.enabled`, "lifecycle.enabled is OpenTofu only");
          const writeOnly = (value: unknown, at: string) => {
            if (Array.isArray(value)) value.forEach((v, i) => writeOnly(v, `${at}[${i}]`));
            else if (isRecord(value))
              for (const [k, v] of Object.entries(value)) {
                if (WRITE_ONLY.test(k))
                  add("write-only", `${at}.${k}`, "write-only arguments are Terraform only");
                if (k !== "//") writeOnly(v, `${at}.${k}`);
              }
          };
          writeOnly(body, path);
        }
  }

  bodies(json.removed).forEach((removed, i) => {
    const lifecycle = bodies(removed.lifecycle)[0];
    if (typeof lifecycle?.destroy !== "boolean")
      add(
        "removed-destroy",
        `removed[${i}].lifecycle.destroy`,
        "expected an explicit true or false: without it OpenTofu forgets the resource and Terraform destroys it",
      );
  });

  walkStrings(json, "", (text, path) => {
    for (const expression of interpolations(text))
      for (const name of calledFunctions(expression))
        if (!SHARED_FUNCTIONS.has(name))
          add("functions", path, `${name}() is not a function both engines provide`);
  });
  return findings;
}

/** Checks every `*.tf.json` file of a directory (not recursive) and flags `.tofu` / `.tofu.json` files. */
export function checkSubsetDir(dir: string): SubsetFinding[] {
  const findings: SubsetFinding[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (/\.tofu(\.json)?$/.test(name))
      findings.push({
        rule: "tofu-files",
        where: name,
        message: "OpenTofu-only file (Terraform ignores it; OpenTofu prefers it over the .tf file)",
      });
    else if (name.endsWith(".tf.json"))
      findings.push(...checkSubset(JSON.parse(readFileSync(join(dir, name), "utf8")), name));
  }
  return findings;
}

export function formatFinding(f: SubsetFinding): string {
  return `  ${f.rule} ${f.where}: ${f.message}`;
}
