import { HeadObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
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

/** HEADs every object (in parallel) and says which exist. */
export async function checkObjects(
  objects: readonly ReleaseObject[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ObjectStatus[]> {
  const clients = new Map<string, S3Client>();
  try {
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
