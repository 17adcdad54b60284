import { HeadObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { UserError } from "../cli/cli";
import type { ReleaseObject } from "./objects";

export interface ObjectStatus {
  readonly object: ReleaseObject;
  /** present, missing (404), or another answer (e.g. 403 forbidden), with the reason. */
  readonly status: "present" | "missing" | "error";
  readonly detail?: string;
}

/**
 * S3 clients per region. The SDK reads AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) itself; with such an
 * override (an S3-compatible server) requests use path-style addressing.
 */
function clientFor(region: string, clients: Map<string, S3Client>, env: NodeJS.ProcessEnv): S3Client {
  let client = clients.get(region);
  if (!client) {
    const endpointOverride = Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
    client = new S3Client({ region, forcePathStyle: endpointOverride, followRegionRedirects: true });
    clients.set(region, client);
  }
  return client;
}

/**
 * Resolves the SDK's default credential chain once, before any request: without credentials every HEAD
 * would fail alike, one line per object. One line instead, saying where the SDK looks.
 */
async function requireCredentials(client: S3Client): Promise<void> {
  try {
    await client.config.credentials();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UserError(
      `no AWS credentials (${reason}): release:check reads S3 with the default AWS credential chain; ` +
        "set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) for an identity that may read the artifacts buckets",
    );
  }
}

/** HEADs every object (in parallel) and says which exist. */
export async function checkObjects(
  objects: readonly ReleaseObject[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ObjectStatus[]> {
  const clients = new Map<string, S3Client>();
  try {
    if (objects.length > 0) await requireCredentials(clientFor(objects[0].region, clients, env));
    return await Promise.all(
      objects.map(async (object): Promise<ObjectStatus> => {
        try {
          await clientFor(object.region, clients, env).send(
            new HeadObjectCommand({ Bucket: object.bucket, Key: object.key }),
          );
          return { object, status: "present" };
        } catch (error) {
          const code = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
          if (code === 404) return { object, status: "missing" };
          const name = error instanceof Error ? error.name : String(error);
          const message = error instanceof Error && error.message ? `: ${error.message.split("\n")[0]}` : "";
          return { object, status: "error", detail: code ? `HTTP ${code} ${name}` : `${name}${message}` };
        }
      }),
    );
  } finally {
    for (const client of clients.values()) client.destroy();
  }
}

/** The report lines: a summary, then one line per object that is not there. */
export function formatReport(stack: string, release: string, statuses: readonly ObjectStatus[]): string[] {
  const bad = statuses.filter((s) => s.status !== "present");
  const lines = [
    bad.length === 0
      ? `release ${release} of ${stack}: all ${statuses.length} objects present`
      : `release ${release} of ${stack}: ${bad.length} of ${statuses.length} objects missing or unreadable:`,
  ];
  for (const s of bad)
    lines.push(
      `  ${s.status === "missing" ? "missing" : `unreadable (${s.detail})`}: s3://${s.object.bucket}/${s.object.key} (needed by ${s.object.neededBy})`,
    );
  return lines;
}
