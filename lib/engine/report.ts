import { formatViolation } from "../../policies/types";
import { STATEFUL_TYPES } from "../plan/stateful";
import { displayPath, formatCounts, formatSummary, type PreviewRun } from ".";

const fmt = (s: number) => `${s.toFixed(2)}s`;

/** The human-readable result: per stack, counts, a table by type and action, policies; then timings. */
export function report(result: PreviewRun): { text: string; violations: number } {
  const lines: string[] = [];
  let violations = 0;
  for (const stack of result.stacks) {
    lines.push(`${stack.stack}: ${formatCounts(stack.summary)}`);
    lines.push(formatSummary(stack.summary));
    for (const { address, type } of stack.summary.forgotten)
      lines.push(
        `  forget ${address}: removed from state, left in AWS and no longer managed${Object.hasOwn(STATEFUL_TYPES, type) ? ` (stateful: ${STATEFUL_TYPES[type]})` : ""}`,
      );
    lines.push(`  plan JSON: ${displayPath(stack.planFile)}`);
    if (stack.fakeSecretKeys.length > 0)
      lines.push(
        `  fake secrets: ${stack.fakeSecretKeys.length} sops values replaced by FAKE-TEST-VALUE-<key>`,
      );
    if (stack.violations === undefined)
      lines.push("  policies: not checked (no policy context for this stack)");
    else if (stack.violations.length === 0) lines.push("  policies: all passed");
    else {
      violations += stack.violations.length;
      lines.push(`  policies: ${stack.violations.length} violation(s)`);
      for (const v of stack.violations) lines.push(`    ${formatViolation(v)}`);
    }
    lines.push("");
  }
  const t = result.timings;
  lines.push(`timings (${result.engine.kind} ${result.engine.path}):`);
  lines.push(
    `  synth ${fmt(t.synth)}, init (once: provider install, shared by every stack) ${fmt(t.install)} (during synth)`,
  );
  for (const { stack, timings: s } of result.stacks) {
    lines.push(
      `  ${stack}: prepare ${fmt(s.prepare)}, plan ${fmt(s.plan)}, show ${fmt(s.show)}, policies ${fmt(s.policies)}`,
    );
  }
  lines.push(`  total ${fmt(t.total)} (stacks in parallel)`);
  return { text: lines.join("\n"), violations };
}
