/**
 * Workflow rule: a `run:` step whose script pipes one command into another must run with `pipefail`,
 * or a failing command before the last `|` is reported green (`tofu apply | tee | jq` exits with jq's
 * status).
 *
 * GitHub's shells (docs.github.com, "Workflow syntax for GitHub Actions", jobs.<job_id>.steps[*].shell):
 * with no `shell` on Linux a step runs `bash -e {0}` (no pipefail); `shell: bash` runs
 * `bash --noprofile --norc -eo pipefail {0}`; `sh` runs `sh -e {0}`. A step's `shell` wins over
 * `jobs.<id>.defaults.run.shell`, which wins over the workflow's `defaults.run.shell`.
 */

/** The parts of a workflow this rule reads. */
export interface ShellWorkflow {
  readonly defaults?: { readonly run?: { readonly shell?: string } };
  readonly jobs?: Readonly<
    Record<
      string,
      {
        readonly defaults?: { readonly run?: { readonly shell?: string } };
        readonly steps?: readonly {
          readonly name?: string;
          readonly run?: string;
          readonly shell?: string;
        }[];
      }
    >
  >;
}

/** The shell a step runs with: its own, else the job's default, else the workflow's, else GitHub's. */
export function effectiveShell(
  workflow: ShellWorkflow,
  jobId: string,
  stepIndex: number,
): string | undefined {
  const job = workflow.jobs?.[jobId];
  return job?.steps?.[stepIndex]?.shell ?? job?.defaults?.run?.shell ?? workflow.defaults?.run?.shell;
}

/** Whether GitHub runs `shell` with pipefail: `bash` (its built-in command line) or a custom one setting it. */
export function shellHasPipefail(shell: string | undefined): boolean {
  if (shell === undefined) return false;
  const trimmed = shell.trim();
  return trimmed === "bash" || /(^|\s)-\w*o\s*pipefail\b|-o pipefail\b/.test(trimmed);
}

/** The script without quoted strings, comments and `case` patterns (a `|` there is not a pipe). */
function code(script: string): string {
  return script
    .replace(/'[^']*'/g, "''")
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/(^|\s)#[^\n]*/g, "$1")
    .replace(/^(\s*)[^\s()|;]+(\s*\|\s*[^\s()|;]+)*\s*\)/gm, "$1pattern)");
}

/** Whether the script has a pipeline (`a | b` or `a |& b`), not counting `||`. */
export function hasPipe(script: string): boolean {
  return /(^|[^|])\|(?!\|)/.test(code(script));
}

/** Whether the script turns pipefail on itself (`set -o pipefail`, `set -euo pipefail`) before its first pipe. */
export function setsPipefail(script: string): boolean {
  const text = code(script);
  const set = /(^|[\n;&]|\s)set\s+(-\w*o\s+pipefail|-o\s+pipefail)\b/.exec(text);
  if (!set) return false;
  const firstPipe = /(^|[^|])\|(?!\|)/.exec(text);
  return firstPipe === null || set.index < firstPipe.index;
}

/** One line per piped `run:` step that runs without pipefail, naming the job and the step. */
export function pipefailProblems(workflow: ShellWorkflow, file: string): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(workflow.jobs ?? {})) {
    for (const [index, step] of (job.steps ?? []).entries()) {
      if (step.run === undefined || !hasPipe(step.run)) continue;
      if (shellHasPipefail(effectiveShell(workflow, jobId, index)) || setsPipefail(step.run)) continue;
      const label = step.name ? `"${step.name}"` : `#${index}`;
      problems.push(
        `${file}: job ${jobId}, step ${label}: a pipe without pipefail (set defaults.run.shell: bash, or start the script with set -o pipefail)`,
      );
    }
  }
  return problems;
}
