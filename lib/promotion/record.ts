import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { PROMOTION } from "../../config/releases";
import type { EnvironmentName } from "../../config";
import { UserError } from "../cli/cli";

/**
 * The record that a release passed an environment: applied there, integration tests green. It is an
 * object in the artifacts bucket, `promotions/<release>/<environment>.json`, written by that
 * environment's deploy job after its tests, and read before another environment may plan the release.
 * `promotions/` is a prefix of its own so the application's build (which writes `releases/`) cannot
 * write a pass for its own release.
 */

export interface PassRecord {
  readonly release: string;
  readonly environment: string;
  /** This repository's commit that deployed it. */
  readonly commit: string;
  /** The workflow run that applied and tested it. */
  readonly runUrl: string;
  /** ISO 8601. */
  readonly passedAt: string;
}

export function recordKey(release: string, environment: string): string {
  return `promotions/${release}/${environment}.json`;
}

export async function recordPass(client: S3Client, bucket: string, record: PassRecord): Promise<string> {
  const key = recordKey(record.release, record.environment);
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: `${JSON.stringify(record, null, 2)}\n`,
      ContentType: "application/json",
    }),
  );
  return key;
}

export type PassCheck =
  | { readonly environment: string; readonly ok: true; readonly record: PassRecord }
  | { readonly environment: string; readonly ok: false; readonly problem: string };

const isNotFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
};

/** Reads the pass record of `release` in each of `environments`; a missing or malformed one is a problem. */
export async function checkPasses(
  client: S3Client,
  bucket: string,
  release: string,
  environments: readonly string[],
): Promise<PassCheck[]> {
  return Promise.all(
    environments.map(async (environment): Promise<PassCheck> => {
      const key = recordKey(release, environment);
      let text: string;
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        text = (await object.Body?.transformToString()) ?? "";
      } catch (error) {
        if (isNotFound(error))
          return {
            environment,
            ok: false,
            problem: `release ${release} has not passed ${environment}: s3://${bucket}/${key} does not exist`,
          };
        throw error;
      }
      let record: Partial<PassRecord>;
      try {
        record = JSON.parse(text) as Partial<PassRecord>;
      } catch {
        return { environment, ok: false, problem: `s3://${bucket}/${key} is not JSON` };
      }
      if (record.release !== release || record.environment !== environment)
        return {
          environment,
          ok: false,
          problem: `s3://${bucket}/${key} records release ${record.release} in ${record.environment}, not ${release} in ${environment}`,
        };
      return { environment, ok: true, record: record as PassRecord };
    }),
  );
}

/**
 * The environments a release must have passed before `target` may run it. A rollback of a first stage
 * (an environment nothing gates, such as staging) needs a release that passed that stage before.
 */
export function requiredPasses(
  target: EnvironmentName,
  options: { readonly rollback?: boolean } = {},
  promotion: Readonly<Record<string, readonly string[]>> = PROMOTION,
): string[] {
  if (!Object.hasOwn(promotion, target))
    throw new UserError(
      `unknown environment ${target}; expected one of ${Object.keys(promotion).join(", ")}`,
    );
  const gates = [...promotion[target]];
  if (options.rollback && gates.length === 0) gates.push(target);
  return gates;
}
