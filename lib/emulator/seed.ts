import {
  CreateBucketCommand,
  PutObjectCommand,
  S3Client,
  type BucketLocationConstraint,
} from "@aws-sdk/client-s3";
import { LambdaClient, PublishLayerVersionCommand } from "@aws-sdk/client-lambda";
import { releaseObjects, type ReleaseObject } from "../release/objects";
import type { StackJson } from "../engine/working-copy";
import { EMULATOR_CREDENTIALS, motoApi } from "./server";

/** The smallest valid zip archive (an empty one): every function and layer package the seed uploads. */
export const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

/** SDK clients bound to the emulator only: explicit endpoint and fake keys, no credential chain. */
export function s3Client(endpoint: string, region: string): S3Client {
  return new S3Client({
    endpoint,
    region,
    credentials: EMULATOR_CREDENTIALS,
    forcePathStyle: true,
    maxAttempts: 2,
  });
}
export function lambdaClient(endpoint: string, region: string): LambdaClient {
  return new LambdaClient({ endpoint, region, credentials: EMULATOR_CREDENTIALS, maxAttempts: 2 });
}

/** Lambda without Docker: moto answers Invoke itself (the migration's aws_lambda_invocation needs it). */
export function lambdaWithoutDocker(endpoint: string): Promise<void> {
  return motoApi(endpoint, "config", { lambda: { use_docker: false } });
}

const LAYER_ARN = /^arn:aws:lambda:([a-z0-9-]+):(\d{12}):layer:([A-Za-z0-9_-]+):(\d+)$/;

export interface LayerRef {
  readonly region: string;
  readonly name: string;
  readonly version: number;
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** The region of the aws provider configuration a resource names (`aws`, `aws.<alias>`). */
export function providerRegion(stack: StackJson, provider: unknown): string {
  const configs = stack.provider?.aws;
  const list = (Array.isArray(configs) ? configs : configs ? [configs] : []) as Record<string, unknown>[];
  const alias = typeof provider === "string" ? /^aws\.(.+)$/.exec(provider)?.[1] : undefined;
  const config = list.find((c) => (alias ? c.alias === alias : c.alias === undefined));
  if (typeof config?.region !== "string")
    throw new Error(`no region for provider ${String(provider ?? "aws")}`);
  return config.region;
}

/**
 * Every layer version a function of the stack names at create: the AWS-owned public ones it references
 * by ARN (ADOT), and the first version of each layer the stack publishes itself.
 */
export function referencedLayers(stack: StackJson): LayerRef[] {
  const resources = (stack.resource ?? {}) as Resources;
  const found = new Map<string, LayerRef>();
  for (const fn of Object.values(resources.aws_lambda_function ?? {})) {
    for (const arn of Array.isArray(fn.layers) ? fn.layers : []) {
      const match = typeof arn === "string" ? LAYER_ARN.exec(arn) : null;
      if (match) found.set(arn, { region: match[1], name: match[3], version: Number(match[4]) });
    }
  }
  for (const layer of Object.values(resources.aws_lambda_layer_version ?? {})) {
    const region = providerRegion(stack, layer.provider);
    found.set(`${region}/${String(layer.layer_name)}`, {
      region,
      name: String(layer.layer_name),
      version: 1,
    });
  }
  return [...found.values()];
}

/**
 * Stand-ins for the layer versions the stack's functions name. moto 5.2.1's CreateFunction looks layers
 * up in its Docker Lambda backend, by name and version only (not account), even when Lambda runs
 * without Docker; a layer the stack publishes goes to the backend that serves requests. So the
 * stand-ins are published while the Docker backend still serves requests, before lambdaWithoutDocker.
 */
export async function seedLayers(endpoint: string, stack: StackJson): Promise<number> {
  const layers = referencedLayers(stack);
  for (const layer of layers) {
    const client = lambdaClient(endpoint, layer.region);
    try {
      for (let v = 1; v <= layer.version; v++)
        await client.send(
          new PublishLayerVersionCommand({
            LayerName: layer.name,
            Description: "emulator stand-in (see lib/emulator/README.md)",
            Content: { ZipFile: EMPTY_ZIP },
          }),
        );
    } finally {
      client.destroy();
    }
  }
  return layers.length;
}

/** Creates each bucket (in its region) if it is not there yet. */
export async function ensureBuckets(
  endpoint: string,
  buckets: readonly { bucket: string; region: string }[],
) {
  for (const { bucket, region } of buckets) {
    const client = s3Client(endpoint, region);
    try {
      await client.send(
        new CreateBucketCommand({
          Bucket: bucket,
          ...(region === "us-east-1"
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
        }),
      );
    } catch (error) {
      if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test((error as Error).name)) throw error;
    } finally {
      client.destroy();
    }
  }
}

/**
 * A test release as the application's build would leave it: every object the synthesized stack reads
 * at apply time (lib/release: function zips, the edge copy, layers, static files), in buckets created
 * when missing (the bootstrap's artifacts buckets, when the bootstrap is not applied in this emulator).
 */
export async function seedRelease(endpoint: string, stack: StackJson): Promise<ReleaseObject[]> {
  const objects = releaseObjects(stack as Parameters<typeof releaseObjects>[0]);
  const buckets = new Map(objects.map((o) => [o.bucket, o.region]));
  await ensureBuckets(
    endpoint,
    [...buckets].map(([bucket, region]) => ({ bucket, region })),
  );
  for (const object of objects) {
    const client = s3Client(endpoint, object.region);
    try {
      await client.send(new PutObjectCommand({ Bucket: object.bucket, Key: object.key, Body: EMPTY_ZIP }));
    } finally {
      client.destroy();
    }
  }
  return objects;
}
