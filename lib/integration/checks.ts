/** What the integration tests check against a deployed environment, given its Terraform outputs. */
export interface StackOutputs {
  readonly apiUrl: string;
  /** Base URLs of the two CloudFront distributions, e.g. https://d111.cloudfront.net. */
  readonly apiDistributionUrl: string;
  readonly mediaDistributionUrl: string;
  readonly apiKey: string;
  readonly defaultFileKey: string;
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

type Check = (outputs: StackOutputs) => Promise<CheckResult>;

async function check(name: string, body: () => Promise<string | undefined>): Promise<CheckResult> {
  try {
    const problem = await body();
    return { name, ok: problem === undefined, detail: problem ?? "ok" };
  } catch (error) {
    return { name, ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

export const CHECKS: Check[] = [
  (o) =>
    check(
      "the API refuses a request without an API key, with the uniform error body and security headers",
      async () => {
        const res = await fetch(`${o.apiUrl}/files`);
        if (res.status !== 403) return `expected 403, got ${res.status}`;
        const body = (await res.json()) as { error?: { code?: string } };
        if (body.error?.code !== "custom-4XX-generic") return `unexpected error body ${JSON.stringify(body)}`;
        if (res.headers.get("x-frame-options") !== "DENY") return "missing X-Frame-Options: DENY";
        if (res.headers.get("cache-control") !== "no-store") return "missing Cache-Control: no-store";
        return undefined;
      },
    ),
  (o) =>
    check(
      "the API distribution passes a keyed request through the edge function and authorizer",
      async () => {
        const res = await fetch(`${o.apiDistributionUrl}/files`, { headers: { "x-api-key": o.apiKey } });
        if (res.status === 403) return "403: the key did not reach the authorizer";
        if (res.status >= 500) return `server error ${res.status}`;
        return undefined;
      },
    ),
  (o) =>
    check("the media distribution serves the default file from the private bucket", async () => {
      const res = await fetch(`${o.mediaDistributionUrl}/${o.defaultFileKey}`, { method: "HEAD" });
      if (res.status !== 200) return `expected 200, got ${res.status}`;
      if (!String(res.headers.get("content-type")).startsWith("video/")) {
        return `unexpected content type ${res.headers.get("content-type")}`;
      }
      return undefined;
    }),
];

export async function runChecks(outputs: StackOutputs): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const c of CHECKS) results.push(await c(outputs));
  return results;
}
