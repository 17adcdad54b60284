import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../../lib/engine";
import { platform } from "../../lib/engine/mirror";
import { stackIds } from "../helpers/environments";
import { loadBootstrap, loadEnvironments } from "../../config";
import { bootstrapStacks } from "../../stacks/bootstrap-stack";

let workDir: string;

/** Every stack main.ts creates, in its order: the environment stacks, then the account-level bootstrap stacks. */
function appStackIds(): string[] {
  const environments = loadEnvironments();
  return [...stackIds(), ...bootstrapStacks(loadBootstrap(environments)).map((s) => s.id)];
}

/** A stand-in engine: answers `version` as Terraform does (the preview asks the binary what it is). */
const FAKE_VERSION = 'if [ "$1" = version ]; then echo "Terraform v1.11.4"; exit 0; fi\n';

/** A stand-in `init`: installs /bin/true (a real executable) where init puts the provider, and a lock file. */
const FAKE_INIT = [
  'if [ "$1" = init ]; then',
  `  d=.terraform/providers/registry.terraform.io/hashicorp/aws/5.100.0/${platform()}`,
  '  mkdir -p "$d" && cp /bin/true "$d/terraform-provider-aws_v5.100.0_x5" && echo "{}" > .terraform/terraform.tfstate',
  "  echo 'provider \"registry.terraform.io/hashicorp/aws\" {}' > .terraform.lock.hcl; exit 0",
  "fi",
  "",
].join("\n");

/** Runs `npm run preview -- ...` (the CLI directly, to skip npm's startup) with a modified environment. */
function preview(args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(
    process.execPath,
    ["-r", "./lib/transpile/register.cjs", "scripts/preview.ts", ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, PREVIEW_WORK_DIR: workDir, ...env },
      encoding: "utf8",
    },
  );
  return { code: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe("preview errors are one clear line and a non-zero exit", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "preview-errors-"));
    workDir = join(dir, "work");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("no engine on PATH", () => {
    const result = preview([], { PATH: dir, TERRAFORM_BINARY_NAME: "" });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "error: no Terraform engine: neither tofu nor terraform is on PATH (or set TERRAFORM_BINARY_NAME)\n",
    );
  });

  test("TERRAFORM_BINARY_NAME naming nothing", () => {
    const result = preview([], { TERRAFORM_BINARY_NAME: "no-such-terraform" });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "error: TERRAFORM_BINARY_NAME=no-such-terraform is not an executable on PATH\n",
    );
  });

  test("an empty or missing plugin mirror", () => {
    // A fake engine on PATH: the mirror is checked before anything runs.
    const fake = join(dir, "terraform");
    writeFileSync(fake, `#!/bin/sh\n${FAKE_VERSION}exit 0\n`);
    chmodSync(fake, 0o755);
    const empty = preview([], {
      PATH: `${dir}:${process.env.PATH}`,
      TERRAFORM_BINARY_NAME: fake,
      TF_PLUGIN_MIRROR: dir,
    });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(
      /^error: plugin mirror \S+ holds no hashicorp\/aws provider for \w+ \(expected .*\)\n$/,
    );
    const missing = preview([], { TERRAFORM_BINARY_NAME: fake, TF_PLUGIN_MIRROR: join(dir, "nope") });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^error: plugin mirror \S+\/nope does not exist \(set TF_PLUGIN_MIRROR.*\)\n$/,
    );
  });

  test("a binary that is neither Terraform nor OpenTofu", () => {
    const fake = join(dir, "not-an-engine");
    writeFileSync(fake, "#!/bin/sh\necho 'something else 2.0'\n");
    chmodSync(fake, 0o755);
    const result = preview([], { TERRAFORM_BINARY_NAME: fake });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: ${fake} is not Terraform or OpenTofu: \`version\` printed "something else 2.0" (expected "Terraform v..." or "OpenTofu v...")\n`,
    );
  });

  test("an unknown stack lists the real ones", () => {
    const fake = join(dir, "terraform");
    writeFileSync(fake, `#!/bin/sh\n${FAKE_VERSION}exit 0\n`);
    chmodSync(fake, 0o755);
    const result = preview(["nope-stack"], { TERRAFORM_BINARY_NAME: fake });
    expect(result.code).toBe(1);
    expect(result.stderr.split("\n").filter((l) => l.startsWith("error:"))).toEqual([
      `error: unknown stack 'nope-stack'; the stacks are: ${appStackIds().join(", ")}`,
    ]);
  });

  test("a failing engine command shows the engine's own output, not a stack trace", () => {
    const fake = join(dir, "failing-terraform");
    writeFileSync(
      fake,
      `#!/bin/sh\n${FAKE_VERSION}${FAKE_INIT}if [ "$1" = plan ]; then echo "Error: Invalid reference (from the engine)" >&2; exit 1; fi\nexit 0\n`,
    );
    chmodSync(fake, 0o755);
    const result = preview(["staging-stack"], { TERRAFORM_BINARY_NAME: fake });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "error: staging-stack: plan failed (exit 1):\nError: Invalid reference (from the engine)",
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
