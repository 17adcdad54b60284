import { looksSecret } from "./values";

/**
 * What an apply did, from the engine's machine-readable output (`tofu apply -json`, one JSON message a
 * line): the resources it finished, the ones that failed with their diagnostics, and the ones it started
 * but never finished. The job summary of every apply, and the first thing to read when one fails.
 */

interface Hook {
  readonly resource?: { readonly addr?: string };
  readonly action?: string;
}
interface Message {
  readonly type?: string;
  readonly hook?: Hook;
  readonly diagnostic?: {
    readonly severity?: string;
    readonly summary?: string;
    readonly detail?: string;
    readonly address?: string;
  };
  readonly changes?: {
    readonly add?: number;
    readonly change?: number;
    readonly remove?: number;
    readonly operation?: string;
  };
}

export interface ApplyOutcome {
  readonly completed: readonly { address: string; action: string }[];
  readonly errored: readonly { address: string; action: string }[];
  /** Started and never reported complete or errored (interrupted). */
  readonly unfinished: readonly string[];
  readonly errors: readonly { summary: string; detail: string; address?: string }[];
  readonly summary?: { add: number; change: number; remove: number };
}

export function parseApplyLog(text: string): ApplyOutcome {
  const completed: { address: string; action: string }[] = [];
  const errored: { address: string; action: string }[] = [];
  const started = new Map<string, string>();
  const errors: { summary: string; detail: string; address?: string }[] = [];
  let summary: ApplyOutcome["summary"];
  for (const line of text.split("\n")) {
    if (!line.trim().startsWith("{")) continue;
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch {
      continue;
    }
    const address = message.hook?.resource?.addr ?? "";
    const action = message.hook?.action ?? "";
    if (message.type === "apply_start") started.set(address, action);
    else if (message.type === "apply_complete") {
      started.delete(address);
      completed.push({ address, action });
    } else if (message.type === "apply_errored") {
      started.delete(address);
      errored.push({ address, action });
    } else if (message.type === "diagnostic" && message.diagnostic?.severity === "error") {
      const scrub = (s?: string) =>
        (s ?? "")
          .split(/(\s+)/)
          .map((w) => (looksSecret(w) ? "(sensitive value)" : w))
          .join("");
      errors.push({
        summary: scrub(message.diagnostic.summary),
        detail: scrub(message.diagnostic.detail),
        address: message.diagnostic.address,
      });
    } else if (message.type === "change_summary" && message.changes?.operation === "apply") {
      summary = {
        add: message.changes.add ?? 0,
        change: message.changes.change ?? 0,
        remove: message.changes.remove ?? 0,
      };
    }
  }
  return { completed, errored, unfinished: [...started.keys()], errors, summary };
}

const MAX_DETAIL = 1500;

/** Markdown for the job summary. `failed`: the apply exited non-zero. */
export function renderApplyReport(
  outcome: ApplyOutcome,
  options: { stack: string; failed: boolean; runbook?: string },
): string {
  const lines: string[] = [];
  if (options.failed) {
    lines.push(`### ❌ Apply failed: \`${options.stack}\``, "");
    lines.push(
      `${outcome.completed.length} resource change(s) were applied before it stopped, ${outcome.errored.length} failed` +
        (outcome.unfinished.length ? `, ${outcome.unfinished.length} started and never finished` : "") +
        ". The state holds what was applied; the next plan shows what is left.",
      "",
    );
  } else {
    const s = outcome.summary;
    lines.push(
      `### ✅ Applied: \`${options.stack}\`${s ? ` — ${s.add} added, ${s.change} changed, ${s.remove} destroyed` : ""}`,
      "",
    );
  }
  if (outcome.errored.length > 0 || outcome.unfinished.length > 0) {
    lines.push("**Failed:**", "");
    for (const e of outcome.errored) lines.push(`- \`${e.address}\` (${e.action})`);
    for (const u of outcome.unfinished) lines.push(`- \`${u}\` (interrupted)`);
    lines.push("");
  }
  if (outcome.errors.length > 0) {
    lines.push("**Errors:**", "");
    for (const e of outcome.errors) {
      const detail = e.detail.length > MAX_DETAIL ? `${e.detail.slice(0, MAX_DETAIL)}…` : e.detail;
      lines.push(`- ${e.address ? `\`${e.address}\`: ` : ""}${e.summary}`);
      if (detail)
        lines.push(
          "",
          "  ```text",
          ...detail.split("\n").map((l) => `  ${l.replace(/```/g, "ˋˋˋ")}`),
          "  ```",
        );
    }
    lines.push("");
  }
  if (outcome.completed.length > 0) {
    lines.push(`<details><summary>Applied (${outcome.completed.length})</summary>`, "");
    for (const c of outcome.completed) lines.push(`- \`${c.address}\` (${c.action})`);
    lines.push("", "</details>", "");
  }
  if (options.failed && options.runbook) lines.push(`What to do next: ${options.runbook}.`, "");
  return `${lines.join("\n")}\n`;
}
