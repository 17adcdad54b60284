import { UserError } from "../cli/cli";

/** One S3 object a stack's release needs at apply time, and who needs it. */
export interface ReleaseObject {
  readonly bucket: string;
  readonly key: string;
  /** Region of the provider configuration that reads it (the bucket's region). */
  readonly region: string;
  /** Terraform address of the resource that reads it, e.g. `aws_lambda_function.x`. */
  readonly neededBy: string;
}

type Block = Record<string, unknown>;
type StackJson = {
  resource?: Record<string, Record<string, Block>>;
  provider?: Record<string, Block[] | Block>;
};

/**
 * Where each resource type reads a release object from: functions and layers from `s3_bucket`/`s3_key`,
 * object copies from `source` (`bucket/key`). The provider's argument references for these types.
 */
const READERS: Readonly<Record<string, (values: Block) => { bucket: unknown; key: unknown } | undefined>> = {
  aws_lambda_function: (v) => (v.s3_key !== undefined ? { bucket: v.s3_bucket, key: v.s3_key } : undefined),
  aws_lambda_layer_version: (v) =>
    v.s3_key !== undefined ? { bucket: v.s3_bucket, key: v.s3_key } : undefined,
  aws_s3_object_copy: (v) => {
    if (typeof v.source !== "string") return { bucket: v.source, key: undefined };
    const slash = v.source.indexOf("/");
    return { bucket: v.source.slice(0, slash), key: v.source.slice(slash + 1) };
  },
};

function providerRegions(json: StackJson): Map<string, string> {
  const regions = new Map<string, string>();
  for (const [type, configs] of Object.entries(json.provider ?? {})) {
    for (const config of Array.isArray(configs) ? configs : [configs]) {
      if (typeof config.region !== "string") continue;
      regions.set(config.alias ? `${type}.${String(config.alias)}` : type, config.region);
    }
  }
  return regions;
}

const literal = (value: unknown): value is string => typeof value === "string" && !value.includes("${");

/**
 * Every object a synthesized stack (cdk.tf.json) reads from S3 at apply time: each function zip (the
 * us-east-1 edge copy included), each layer zip, each copied static file. Throws a UserError when a
 * bucket or key is not a literal (a reference cannot be checked before apply).
 */
export function releaseObjects(json: StackJson): ReleaseObject[] {
  const regions = providerRegions(json);
  const objects: ReleaseObject[] = [];
  for (const [type, read] of Object.entries(READERS)) {
    for (const [name, block] of Object.entries(json.resource?.[type] ?? {})) {
      const found = read(block);
      if (!found) continue;
      const address = `${type}.${name}`;
      if (!literal(found.bucket) || !literal(found.key))
        throw new UserError(
          `${address}: its S3 bucket and key must be literal strings to be checked before apply`,
        );
      const provider = typeof block.provider === "string" ? block.provider : type.split("_")[0];
      const region = regions.get(provider);
      if (!region) throw new UserError(`${address}: no region for its provider ${provider}`);
      objects.push({ bucket: found.bucket, key: found.key, region, neededBy: address });
    }
  }
  return objects.sort((a, b) => `${a.bucket}/${a.key}`.localeCompare(`${b.bucket}/${b.key}`));
}
