import { createHash } from "node:crypto";
import type { PlanJson, PlanResourceChange } from "./plan-json";

/**
 * Turns the offline plan of a legacy configuration (every resource a create) into a Terraform/OpenTofu
 * state file (format version 4), as if that plan had been applied: known planned values are kept; every
 * value unknown until apply is filled in, either by following the configuration's direct reference
 * (`rest_api_id = aws_api_gateway_rest_api.Main.id` gets the REST API's generated id, so the fixture is
 * internally consistent) or with a plausible id/ARN in the shape AWS returns (`ID_RULES`). Used to build
 * the committed legacy-state fixtures (`__tests__/fixtures/legacy-state/`); deterministic for a seed.
 */
export interface LegacyStateOptions {
  readonly accountId: string;
  readonly region: string;
  /** Host the state records providers under: OpenTofu writes registry.opentofu.org. */
  readonly providerHost: string;
  /** `terraform_version` recorded in the state (the engine that wrote the legacy state). */
  readonly engineVersion: string;
  /** Seed for generated ids, so each environment gets its own stable ids. */
  readonly seed: string;
  /** schema_version per resource type (from `providers schema -json`). */
  readonly schemaVersions: Readonly<Record<string, number>>;
  /** Values replacing planned ones after filling, by type then attribute (e.g. the runtime the real state holds). */
  readonly overrides?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface StateFile {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, unknown>;
  resources: StateResource[];
  check_results: null;
}

export interface StateResource {
  mode: "managed";
  type: string;
  name: string;
  provider: string;
  instances: {
    index_key?: string | number;
    schema_version: number;
    attributes: Record<string, unknown>;
    sensitive_attributes: unknown[];
    dependencies?: string[];
  }[];
}

type Values = Record<string, unknown>;
interface Ctx {
  readonly o: LegacyStateOptions;
  readonly rand: (label: string, length: number, alphabet?: string) => string;
  /** The region of a resource's provider configuration (the us_east_1 alias or the default). */
  readonly regionOf: (address: string) => string;
  /** The filled values of the first resource of `type` whose `attr` equals `value`. */
  readonly findByAttr: (type: string, attr: string, value: unknown) => Values | undefined;
  /** The path of an API Gateway resource id ("/" for a REST API's root), once known. */
  readonly findPath: (id: string) => string | undefined;
}

const LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const TIME = "2025-11-03T18:42:07Z";

/**
 * Generated identifiers per resource type, in the formats the AWS provider stores (provider source,
 * hashicorp/terraform-provider-aws `internal/service/<service>/<resource>.go`, the `d.SetId` calls).
 * Each rule returns only what it can compute now; missing inputs are retried after references resolve.
 */
const ID_RULES: Record<string, (v: Values, c: Ctx, address: string) => Values> = {
  aws_api_gateway_rest_api: (_v, c, a) => {
    const id = c.rand(`${a}.id`, 10, LOWER);
    return {
      id,
      root_resource_id: c.rand(`${a}.root`, 10, LOWER),
      arn: `arn:aws:apigateway:${c.o.region}::/restapis/${id}`,
      execution_arn: `arn:aws:execute-api:${c.o.region}:${c.o.accountId}:${id}`,
      created_date: TIME,
      binary_media_types: [],
      disable_execute_api_endpoint: false,
      minimum_compression_size: "",
      policy: "",
    };
  },
  aws_api_gateway_resource: (v, c, a) => {
    const out: Values = { id: c.rand(`${a}.id`, 6, LOWER) };
    const parent = typeof v.parent_id === "string" ? v.parent_id : undefined;
    if (parent !== undefined) {
      const parentPath = c.findPath(parent);
      if (parentPath !== undefined) out.path = `${parentPath === "/" ? "" : parentPath}/${v.path_part}`;
    }
    return out;
  },
  aws_api_gateway_method: (v) =>
    v.rest_api_id && v.resource_id ? { id: `agm-${v.rest_api_id}-${v.resource_id}-${v.http_method}` } : {},
  aws_api_gateway_integration: (v) =>
    v.rest_api_id && v.resource_id
      ? { id: `agi-${v.rest_api_id}-${v.resource_id}-${v.http_method}`, cache_namespace: v.resource_id }
      : {},
  aws_api_gateway_deployment: (v, c, a) => {
    const out: Values = { id: c.rand(`${a}.id`, 6, LOWER), created_date: TIME };
    if (v.rest_api_id) {
      out.execution_arn = `arn:aws:execute-api:${c.o.region}:${c.o.accountId}:${v.rest_api_id}/`;
      out.invoke_url = `https://${v.rest_api_id}.execute-api.${c.o.region}.amazonaws.com/`;
    }
    return out;
  },
  aws_api_gateway_stage: (v, c) =>
    v.rest_api_id
      ? {
          id: `ags-${v.rest_api_id}-${v.stage_name}`,
          arn: `arn:aws:apigateway:${c.o.region}::/restapis/${v.rest_api_id}/stages/${v.stage_name}`,
          execution_arn: `arn:aws:execute-api:${c.o.region}:${c.o.accountId}:${v.rest_api_id}/${v.stage_name}`,
          invoke_url: `https://${v.rest_api_id}.execute-api.${c.o.region}.amazonaws.com/${v.stage_name}`,
          web_acl_arn: "",
        }
      : {},
  aws_api_gateway_method_settings: (v) =>
    v.rest_api_id ? { id: `${v.rest_api_id}-${v.stage_name}-${v.method_path}` } : {},
  aws_api_gateway_authorizer: (v, c, a) => {
    const id = c.rand(`${a}.id`, 6, LOWER);
    return v.rest_api_id
      ? { id, arn: `arn:aws:apigateway:${c.o.region}::/restapis/${v.rest_api_id}/authorizers/${id}` }
      : {};
  },
  aws_api_gateway_usage_plan: (_v, c, a) => {
    const id = c.rand(`${a}.id`, 6, LOWER);
    return { id, arn: `arn:aws:apigateway:${c.o.region}::/usageplans/${id}` };
  },
  aws_api_gateway_api_key: (_v, c, a) => {
    const id = c.rand(`${a}.id`, 10, LOWER);
    return {
      id,
      arn: `arn:aws:apigateway:${c.o.region}::/apikeys/${id}`,
      // A fixture value, never a real key: 40 characters like the ones API Gateway generates.
      value: `FIXTURE${c.rand(`${a}.value`, 33, LOWER + UPPER)}`,
      created_date: TIME,
      last_updated_date: TIME,
    };
  },
  aws_api_gateway_usage_plan_key: (v, c) => {
    const key =
      typeof v.key_id === "string" ? c.findByAttr("aws_api_gateway_api_key", "id", v.key_id) : undefined;
    return key ? { id: v.key_id, name: key.name, value: key.value } : {};
  },
  aws_api_gateway_gateway_response: (v) =>
    v.rest_api_id ? { id: `aggr-${v.rest_api_id}-${v.response_type}` } : {},
  aws_api_gateway_account: (_v) => ({
    id: "api-gateway-account",
    api_key_version: "4",
    features: ["UsagePlans"],
    throttle_settings: [{ burst_limit: 5000, rate_limit: 10000 }],
  }),
  aws_cloudfront_distribution: (_v, c, a) => {
    const id = `E${c.rand(`${a}.id`, 13, UPPER)}`;
    return {
      id,
      arn: `arn:aws:cloudfront::${c.o.accountId}:distribution/${id}`,
      domain_name: `d${c.rand(`${a}.domain`, 13, LOWER)}.cloudfront.net`,
      hosted_zone_id: "Z2FDTNDATAQYW2",
      etag: `E${c.rand(`${a}.etag`, 13, UPPER)}`,
      status: "Deployed",
      caller_reference: `terraform-${c.rand(`${a}.ref`, 26, "0123456789")}`,
      last_modified_time: "2025-11-03 18:49:51.101 +0000 UTC",
      in_progress_validation_batches: 0,
      continuous_deployment_policy_id: "",
      trusted_key_groups: [{ enabled: false, items: [] }],
      trusted_signers: [{ enabled: false, items: [] }],
    };
  },
  aws_cloudfront_origin_access_control: (_v, c, a) => {
    const id = `E${c.rand(`${a}.id`, 13, UPPER)}`;
    return {
      id,
      arn: `arn:aws:cloudfront::${c.o.accountId}:origin-access-control/${id}`,
      etag: `E${c.rand(`${a}.etag`, 13, UPPER)}`,
    };
  },
  aws_cloudfront_response_headers_policy: (_v, c, a) => {
    const id = uuid(c.rand(`${a}.id`, 32, "0123456789abcdef"));
    return {
      id,
      arn: `arn:aws:cloudfront::${c.o.accountId}:response-headers-policy/${id}`,
      etag: `E${c.rand(`${a}.etag`, 13, UPPER)}`,
    };
  },
  aws_cloudwatch_event_bus: (v, c) => ({
    id: v.name,
    arn: `arn:aws:events:${c.o.region}:${c.o.accountId}:event-bus/${v.name}`,
  }),
  aws_cloudwatch_event_rule: (v, c) => {
    const bus = v.event_bus_name && v.event_bus_name !== "default" ? `${v.event_bus_name}/` : "";
    return {
      id: `${bus}${v.name}`,
      arn: `arn:aws:events:${c.o.region}:${c.o.accountId}:rule/${bus}${v.name}`,
      name_prefix: "",
    };
  },
  aws_cloudwatch_event_target: (v, c, a) => {
    const targetId = v.target_id ?? `terraform-${c.rand(`${a}.target`, 26, "0123456789")}`;
    const bus = v.event_bus_name && v.event_bus_name !== "default" ? `${v.event_bus_name}/` : "";
    return typeof v.rule === "string" ? { target_id: targetId, id: `${bus}${v.rule}-${targetId}` } : {};
  },
  aws_cloudwatch_log_group: (v, c) => ({
    id: v.name,
    arn: `arn:aws:logs:${c.o.region}:${c.o.accountId}:log-group:${v.name}`,
    log_group_class: "STANDARD",
    name_prefix: "",
  }),
  aws_cloudwatch_metric_alarm: (v, c) => ({
    id: v.alarm_name,
    arn: `arn:aws:cloudwatch:${c.o.region}:${c.o.accountId}:alarm:${v.alarm_name}`,
    evaluate_low_sample_count_percentiles: "",
  }),
  aws_dsql_cluster: (_v, c, a) => {
    const identifier = c.rand(`${a}.id`, 26, "abcdefghijklmnopqrstuvwxyz234567");
    return {
      identifier,
      arn: `arn:aws:dsql:${c.o.region}:${c.o.accountId}:cluster/${identifier}`,
      kms_encryption_key: "AWS_OWNED_KMS_KEY",
      encryption_details: [{ encryption_status: "ENABLED", encryption_type: "AWS_OWNED_KMS_KEY" }],
      vpc_endpoint_service_name: `com.amazonaws.${c.o.region}.dsql-${identifier.slice(0, 4)}`,
    };
  },
  aws_dynamodb_table: (v, c) => ({
    id: v.name,
    arn: `arn:aws:dynamodb:${c.o.region}:${c.o.accountId}:table/${v.name}`,
    point_in_time_recovery: [{ enabled: false, recovery_period_in_days: 0 }],
    read_capacity: 0,
    write_capacity: 0,
    server_side_encryption: [],
    stream_arn: "",
    stream_label: "",
    stream_view_type: "",
  }),
  aws_iam_policy: (v, c, a) => {
    const arn = `arn:aws:iam::${c.o.accountId}:policy/${v.name}`;
    return {
      id: arn,
      arn,
      policy_id: `ANPA${c.rand(`${a}.pid`, 17, UPPER)}`,
      attachment_count: 1,
      name_prefix: "",
    };
  },
  aws_iam_role: (v, c, a) => ({
    id: v.name,
    arn: `arn:aws:iam::${c.o.accountId}:role/${v.name}`,
    unique_id: `AROA${c.rand(`${a}.uid`, 17, UPPER)}`,
    create_date: TIME,
    name_prefix: "",
    managed_policy_arns: [],
    inline_policy: [],
  }),
  aws_iam_role_policy: (v) =>
    typeof v.role === "string" ? { id: `${v.role}:${v.name}`, name_prefix: "" } : {},
  aws_iam_role_policy_attachment: (v, c, a) =>
    typeof v.role === "string" ? { id: `${v.role}-${c.rand(`${a}.id`, 26, "0123456789")}` } : {},
  aws_lambda_function: (v, c, a) => {
    const region = c.regionOf(a);
    const arn = `arn:aws:lambda:${region}:${c.o.accountId}:function:${v.function_name}`;
    const version = v.publish ? "1" : "$LATEST";
    const invoke = (target: string) =>
      `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${target}/invocations`;
    return {
      id: v.function_name,
      arn,
      invoke_arn: invoke(arn),
      qualified_arn: `${arn}:${version}`,
      qualified_invoke_arn: invoke(`${arn}:${version}`),
      version,
      last_modified: "2025-11-03T18:43:11.000+0000",
      code_sha256: typeof v.source_code_hash === "string" ? v.source_code_hash : "",
      source_code_size: 1048576,
      signing_job_arn: "",
      signing_profile_version_arn: "",
      ephemeral_storage: [{ size: 512 }],
      logging_config: [
        {
          application_log_level: "",
          log_format: "Text",
          log_group: `/aws/lambda/${v.function_name}`,
          system_log_level: "",
        },
      ],
    };
  },
  aws_lambda_layer_version: (v, c) => {
    const layerArn = `arn:aws:lambda:${c.o.region}:${c.o.accountId}:layer:${v.layer_name}`;
    return {
      id: `${layerArn}:1`,
      arn: `${layerArn}:1`,
      layer_arn: layerArn,
      version: "1",
      created_date: "2025-11-03T18:42:30.000+0000",
      code_sha256: typeof v.source_code_hash === "string" ? v.source_code_hash : "",
      source_code_size: 52428800,
      signing_job_arn: "",
      signing_profile_version_arn: "",
    };
  },
  aws_lambda_permission: (v, c, a) => {
    const statement = v.statement_id ?? `terraform-${c.rand(`${a}.sid`, 26, "0123456789")}`;
    return { id: statement, statement_id: statement, statement_id_prefix: "" };
  },
  aws_lambda_event_source_mapping: (_v, c, a) => {
    const id = uuid(c.rand(`${a}.id`, 32, "0123456789abcdef"));
    return {
      id,
      uuid: id,
      arn: `arn:aws:lambda:${c.o.region}:${c.o.accountId}:event-source-mapping:${id}`,
      state: "Enabled",
      state_transition_reason: "USER_INITIATED",
      last_modified: TIME,
      last_processing_result: "",
      maximum_record_age_in_seconds: 0,
      maximum_retry_attempts: 0,
      parallelization_factor: 0,
      amazon_managed_kafka_event_source_config: [],
      self_managed_kafka_event_source_config: [],
    };
  },
  aws_s3_bucket: (v, c) => ({
    id: v.bucket,
    arn: `arn:aws:s3:::${v.bucket}`,
    bucket_domain_name: `${v.bucket}.s3.amazonaws.com`,
    bucket_regional_domain_name: `${v.bucket}.s3.${c.o.region}.amazonaws.com`,
    hosted_zone_id: "Z3BJ6K6RIION7M",
    region: c.o.region,
    bucket_prefix: "",
    acceleration_status: "",
    request_payer: "BucketOwner",
    object_lock_enabled: false,
    server_side_encryption_configuration: [
      {
        rule: [
          {
            apply_server_side_encryption_by_default: [{ kms_master_key_id: "", sse_algorithm: "AES256" }],
            bucket_key_enabled: false,
          },
        ],
      },
    ],
    versioning: [{ enabled: false, mfa_delete: false }],
    grant: [],
    cors_rule: [],
    lifecycle_rule: [],
    logging: [],
    object_lock_configuration: [],
    replication_configuration: [],
    website: [],
    policy: "",
  }),
  aws_s3_bucket_intelligent_tiering_configuration: (v) =>
    typeof v.bucket === "string" ? { id: `${v.bucket}:${v.name}` } : {},
  aws_s3_bucket_notification: (v) => (typeof v.bucket === "string" ? { id: v.bucket } : {}),
  aws_s3_bucket_policy: (v) => (typeof v.bucket === "string" ? { id: v.bucket } : {}),
  aws_s3_object: (v) =>
    typeof v.bucket === "string"
      ? {
          id: v.key,
          arn: `arn:aws:s3:::${v.bucket}/${v.key}`,
          storage_class: "STANDARD",
          server_side_encryption: "AES256",
          bucket_key_enabled: false,
          kms_key_id: "",
          acl: "",
          version_id: "",
          checksum_crc32: "",
          checksum_crc32c: "",
          checksum_crc64nvme: "",
          checksum_sha1: "",
          checksum_sha256: "",
        }
      : {},
  aws_sns_platform_application: (v, c) => {
    const arn = `arn:aws:sns:${c.o.region}:${c.o.accountId}:app/${v.platform}/${v.name}`;
    return { id: arn, arn };
  },
  aws_sns_topic: (v, c) => {
    const arn = `arn:aws:sns:${c.o.region}:${c.o.accountId}:${v.name}`;
    return {
      id: arn,
      arn,
      owner: c.o.accountId,
      name_prefix: "",
      signature_version: 0,
      tracing_config: "",
      fifo_throughput_scope: "",
      beginning_archive_time: "",
      policy: JSON.stringify({
        Version: "2008-10-17",
        Id: "__default_policy_ID",
        Statement: [
          { Sid: "__default_statement_ID", Effect: "Allow", Principal: { AWS: "*" }, Resource: arn },
        ],
      }),
    };
  },
  aws_sqs_queue: (v, c) => ({
    id: `https://sqs.${c.o.region}.amazonaws.com/${c.o.accountId}/${v.name}`,
    url: `https://sqs.${c.o.region}.amazonaws.com/${c.o.accountId}/${v.name}`,
    arn: `arn:aws:sqs:${c.o.region}:${c.o.accountId}:${v.name}`,
    sqs_managed_sse_enabled: true,
    kms_data_key_reuse_period_seconds: 300,
    deduplication_scope: "",
    fifo_throughput_limit: "",
    name_prefix: "",
    policy: "",
    redrive_allow_policy: "",
  }),
  aws_sqs_queue_policy: (v) => (typeof v.queue_url === "string" ? { id: v.queue_url } : {}),
};

function uuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** `${aws_x.y.attr}` or `${aws_x.y[0].attr}` alone: a direct reference we can follow. */
const DIRECT_REFERENCE = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+(?:\[(?:\d+|"[^"]+")\])?)\.([a-z0-9_]+)\}$/;

interface ConfigResource {
  address: string;
  provider_config_key?: string;
  expressions?: Record<string, unknown>;
}

type UnknownTree = boolean | UnknownTree[] | { [k: string]: UnknownTree };

export function stateFromLegacyPlan(plan: PlanJson, options: LegacyStateOptions): StateFile {
  const configuration = (plan.configuration ?? {}) as { root_module?: { resources?: ConfigResource[] } };
  const configByAddress = new Map(
    (configuration.root_module?.resources ?? []).map((r) => [r.address, r] as const),
  );
  const changes = (plan.resource_changes ?? []).filter(
    (c): c is PlanResourceChange => c.mode === "managed" && c.change.actions.includes("create"),
  );
  const values = new Map<string, Values>();
  const unknown = new Map<string, UnknownTree>();
  for (const change of changes) {
    values.set(change.address, structuredClone((change.change.after ?? {}) as Values));
    unknown.set(change.address, (change.change.after_unknown ?? {}) as UnknownTree);
  }
  const configAddress = (address: string) => address.replace(/\[[^\]]*\]$/, "");
  const regionOf = (address: string) =>
    configByAddress.get(configAddress(address))?.provider_config_key === "aws.us_east_1"
      ? "us-east-1"
      : options.region;
  const rand = (label: string, length: number, alphabet = LOWER) => {
    let out = "";
    let counter = 0;
    while (out.length < length) {
      const digest = createHash("sha256").update(`${options.seed}:${label}:${counter++}`).digest();
      for (const byte of digest) if (out.length < length) out += alphabet[byte % alphabet.length];
    }
    return out;
  };
  const ctx: Ctx = {
    o: options,
    rand,
    regionOf,
    findByAttr: (type: string, attr: string, value: unknown) =>
      changes
        .filter((c) => c.type === type)
        .map((c) => values.get(c.address)!)
        .find((v) => v[attr] === value),
    findPath: (id: string): string | undefined => {
      for (const c of changes) {
        const v = values.get(c.address)!;
        if (c.type === "aws_api_gateway_rest_api" && v.root_resource_id === id) return "/";
        if (c.type === "aws_api_gateway_resource" && v.id === id && typeof v.path === "string") return v.path;
      }
      return undefined;
    },
  };

  // Fill until nothing changes: references need their target's generated values, and some rules
  // need references (a method's id needs its API's id).
  for (let pass = 0; pass < 20; pass++) {
    let progress = false;
    for (const change of changes) {
      const current = values.get(change.address)!;
      const expressions = configByAddress.get(configAddress(change.address))?.expressions ?? {};
      progress = fillReferences(current, unknown.get(change.address)!, expressions, values) || progress;
      const rule = ID_RULES[change.type];
      if (!rule) continue;
      const generated = rule(current, ctx, change.address);
      for (const [key, value] of Object.entries(generated)) {
        if (value === undefined || (current[key] !== undefined && current[key] !== null)) continue;
        current[key] = value;
        progress = true;
      }
    }
    if (!progress) break;
  }

  const byResource = new Map<string, StateResource>();
  for (const change of changes) {
    const attributes = values.get(change.address)!;
    dropUnknownLeftovers(attributes, unknown.get(change.address)!);
    Object.assign(attributes, options.overrides?.[change.type] ?? {});
    const key = `${change.type}.${change.name}`;
    const providerKey = configByAddress.get(configAddress(change.address))?.provider_config_key ?? "aws";
    const alias = providerKey.includes(".") ? `.${providerKey.split(".")[1]}` : "";
    const resource =
      byResource.get(key) ??
      byResource
        .set(key, {
          mode: "managed",
          type: change.type,
          name: change.name,
          provider: `provider["${options.providerHost}/hashicorp/aws"]${alias}`,
          instances: [],
        })
        .get(key)!;
    const indexKey = (change as PlanResourceChange & { index?: string | number }).index;
    resource.instances.push({
      ...(indexKey !== undefined ? { index_key: indexKey } : {}),
      schema_version: options.schemaVersions[change.type] ?? 0,
      attributes,
      sensitive_attributes: sensitivePaths(change.change.after_sensitive),
    });
  }
  return {
    version: 4,
    terraform_version: options.engineVersion,
    serial: 1,
    lineage: uuid(rand("lineage", 32, "0123456789abcdef")),
    outputs: {},
    resources: [...byResource.values()],
    check_results: null,
  };
}

/** Follows direct references for unknown leaves (recursing into nested blocks); true when something was filled. */
function fillReferences(
  target: Values,
  unknownTree: UnknownTree,
  expressions: Record<string, unknown>,
  all: Map<string, Values>,
): boolean {
  let progress = false;
  if (typeof unknownTree !== "object" || Array.isArray(unknownTree)) return false;
  for (const [key, marker] of Object.entries(unknownTree)) {
    const expression = expressions[key];
    if (marker === true) {
      if (target[key] !== undefined && target[key] !== null) continue;
      const text = (expression as { constant_value?: unknown } | undefined)?.constant_value;
      const match = typeof text === "string" ? DIRECT_REFERENCE.exec(text) : null;
      if (!match) continue;
      const value = all.get(match[1].replace(/\["([^"]+)"\]/, '["$1"]'))?.[match[2]];
      if (value !== undefined && value !== null) {
        target[key] = structuredClone(value);
        progress = true;
      }
    } else if (Array.isArray(marker) && Array.isArray(target[key]) && Array.isArray(expression)) {
      const blocks = target[key] as Values[];
      marker.forEach((sub, i) => {
        if (blocks[i] && expression[i] && typeof expression[i] === "object")
          progress =
            fillReferences(blocks[i], sub, expression[i] as Record<string, unknown>, all) || progress;
      });
    }
  }
  return progress;
}

/** Unknown leaves nothing could fill become null (the provider stores them empty), keeping the key. */
function dropUnknownLeftovers(target: Values, unknownTree: UnknownTree): void {
  if (typeof unknownTree !== "object" || Array.isArray(unknownTree)) return;
  for (const [key, marker] of Object.entries(unknownTree)) {
    if (marker === true) {
      if (target[key] === undefined) target[key] = null;
    } else if (Array.isArray(marker) && Array.isArray(target[key])) {
      marker.forEach((sub, i) => {
        const block = (target[key] as unknown[])[i];
        if (block && typeof block === "object") dropUnknownLeftovers(block as Values, sub);
      });
    }
  }
}

/** `after_sensitive` as state `sensitive_attributes` paths (top-level attributes only). */
function sensitivePaths(afterSensitive: unknown): unknown[] {
  if (!afterSensitive || typeof afterSensitive !== "object") return [];
  return Object.entries(afterSensitive as Record<string, unknown>)
    .filter(([, v]) => v === true)
    .map(([k]) => [{ type: "get_attr", value: k }]);
}
