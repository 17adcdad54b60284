/**
 * One GitHub issue per stack for drift: opened when a scheduled plan finds changes, its body replaced
 * with the newest plan while the drift lasts, closed with a comment when a plan finds none. The issue is
 * found by a marker in its body, under the `drift` label.
 */

export const DRIFT_LABEL = "drift";

export interface Issue {
  readonly number: number;
  readonly body: string;
}

/** The few calls this needs, so tests can give a fake and the script the REST API. */
export interface IssuesApi {
  listOpen(label: string): Promise<Issue[]>;
  create(title: string, body: string, labels: readonly string[]): Promise<number>;
  update(number: number, body: string): Promise<void>;
  comment(number: number, body: string): Promise<void>;
  close(number: number): Promise<void>;
}

export const driftMarker = (stack: string) => `<!-- media-downloader-drift:${stack} -->`;

export type DriftAction = "opened" | "updated" | "closed" | "none";

/** Brings the stack's drift issue in line with the newest plan; `body` is the rendered plan. */
export async function syncDriftIssue(
  api: IssuesApi,
  options: { stack: string; drifted: boolean; body: string; runUrl?: string },
): Promise<{ action: DriftAction; number?: number }> {
  const marker = driftMarker(options.stack);
  const open = (await api.listOpen(DRIFT_LABEL)).find((i) => i.body.includes(marker));
  const body = `${marker}\n${options.body}`;
  if (options.drifted) {
    if (open) {
      await api.update(open.number, body);
      return { action: "updated", number: open.number };
    }
    const number = await api.create(`Drift: ${options.stack} differs from main`, body, [DRIFT_LABEL]);
    return { action: "opened", number };
  }
  if (!open) return { action: "none" };
  await api.comment(
    open.number,
    `The scheduled plan of \`${options.stack}\` finds no changes any more${options.runUrl ? ` ([run](${options.runUrl}))` : ""}: closing.`,
  );
  await api.close(open.number);
  return { action: "closed", number: open.number };
}

/** The IssuesApi over GitHub's REST API (fetch), for GITHUB_REPOSITORY with GITHUB_TOKEN. */
export function githubIssuesApi(options: { repository: string; token: string; apiUrl?: string }): IssuesApi {
  const base = `${options.apiUrl ?? "https://api.github.com"}/repos/${options.repository}/issues`;
  const call = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(url, {
      method,
      headers: {
        Authorization: `Bearer ${options.token}`,
        Accept: "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
        ...(body ? { "Content-Type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok)
      throw new Error(`GitHub API ${method} ${url}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };
  return {
    async listOpen(label) {
      const issues = (await call(
        "GET",
        `${base}?state=open&labels=${encodeURIComponent(label)}&per_page=100`,
      )) as {
        number: number;
        body?: string | null;
        pull_request?: unknown;
      }[];
      return issues.filter((i) => !i.pull_request).map((i) => ({ number: i.number, body: i.body ?? "" }));
    },
    async create(title, body, labels) {
      return ((await call("POST", base, { title, body, labels })) as { number: number }).number;
    },
    async update(number, body) {
      await call("PATCH", `${base}/${number}`, { body });
    },
    async comment(number, body) {
      await call("POST", `${base}/${number}/comments`, { body });
    },
    async close(number) {
      await call("PATCH", `${base}/${number}`, { state: "closed", state_reason: "completed" });
    },
  };
}
