import { spawn } from "node:child_process";
import {
  accessSync,
  constants,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { UserError } from "../cli/cli";

/** Where the hashicorp/aws provider comes from unless TF_PLUGIN_MIRROR says otherwise. */
export const DEFAULT_PLUGIN_MIRROR = "/opt/tf-plugins";

export interface Engine {
  /** "tofu" or "terraform": decides the registry host providers are addressed by. */
  readonly kind: "terraform" | "tofu";
  /** Absolute path of the binary. */
  readonly path: string;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The engine, as cdktf-cli picks it: TERRAFORM_BINARY_NAME (a name on PATH or a path) when set, else
 * `tofu` if it is on PATH, else `terraform`.
 */
export function findEngine(env: NodeJS.ProcessEnv = process.env): Engine {
  const override = env.TERRAFORM_BINARY_NAME;
  if (override) {
    const path = override.includes("/")
      ? isExecutable(resolve(override))
        ? resolve(override)
        : undefined
      : onPath(override, env);
    if (!path) throw new UserError(`TERRAFORM_BINARY_NAME=${override} is not an executable on PATH`);
    return { kind: /tofu/.test(override) ? "tofu" : "terraform", path };
  }
  const tofu = onPath("tofu", env);
  if (tofu) return { kind: "tofu", path: tofu };
  const terraform = onPath("terraform", env);
  if (terraform) return { kind: "terraform", path: terraform };
  throw new UserError(
    "no Terraform engine: neither tofu nor terraform is on PATH (or set TERRAFORM_BINARY_NAME)",
  );
}

/** Terraform's name for this machine's platform, e.g. linux_amd64. */
export function platform(): string {
  const arch: Record<string, string> = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" };
  return `${process.platform === "win32" ? "windows" : process.platform}_${arch[process.arch] ?? process.arch}`;
}

const MIRROR_HOST = "registry.terraform.io";

/** The hashicorp/aws versions a filesystem mirror holds for this platform (unpacked or packed layout). */
export function mirrorVersions(mirror: string): string[] {
  const dir = join(mirror, MIRROR_HOST, "hashicorp", "aws");
  if (!existsSync(dir)) return [];
  const versions = new Set<string>();
  for (const entry of readdirSync(dir)) {
    if (existsSync(join(dir, entry, platform()))) versions.add(entry);
    const packed = new RegExp(`^terraform-provider-aws_(.+)_${platform()}\\.zip$`).exec(entry);
    if (packed) versions.add(packed[1]);
  }
  return [...versions].sort(compareVersions);
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const pb = b.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    return typeof pa[i] === "number" && typeof pb[i] === "number"
      ? (pa[i] as number) - (pb[i] as number)
      : String(pa[i]).localeCompare(String(pb[i]));
  }
  return 0;
}

/** Checks the mirror exists and holds hashicorp/aws; returns its versions (ascending). */
export function checkMirror(mirror: string): string[] {
  if (!existsSync(mirror) || !statSync(mirror).isDirectory())
    throw new UserError(
      `plugin mirror ${mirror} does not exist (set TF_PLUGIN_MIRROR to a Terraform filesystem mirror)`,
    );
  const versions = mirrorVersions(mirror);
  if (versions.length === 0)
    throw new UserError(
      `plugin mirror ${mirror} holds no hashicorp/aws provider for ${platform()} (expected ${join(mirror, MIRROR_HOST, "hashicorp/aws/<version>", platform())}/)`,
    );
  return versions;
}

/**
 * Writes the CLI configuration: hashicorp/aws from the filesystem mirror only, nothing from a network.
 * OpenTofu addresses `hashicorp/aws` as registry.opentofu.org, so for tofu a shim mirror directory
 * links that host to the mirror's registry.terraform.io tree.
 */
export function writeCliConfig(workDir: string, engine: Engine, mirror: string): string {
  let mirrorPath = resolve(mirror);
  let host = MIRROR_HOST;
  if (engine.kind === "tofu" && !existsSync(join(mirrorPath, "registry.opentofu.org"))) {
    host = "registry.opentofu.org";
    const shim = join(workDir, ".mirror");
    const link = join(shim, host, "hashicorp", "aws");
    if (!existsSync(link)) {
      mkdirSync(join(shim, host, "hashicorp"), { recursive: true });
      symlinkSync(join(mirrorPath, MIRROR_HOST, "hashicorp", "aws"), link);
    }
    mirrorPath = shim;
  } else if (engine.kind === "tofu") {
    host = "registry.opentofu.org";
  }
  const file = join(workDir, "terraform.rc");
  writeFileSync(
    file,
    [
      "# Written by lib/engine: providers come from the filesystem mirror, never from a registry.",
      "disable_checkpoint = true",
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = ${JSON.stringify(mirrorPath)}`,
      `    include = [${JSON.stringify(`${host}/hashicorp/aws`)}]`,
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  return file;
}

/**
 * The engine's environment: our CLI config and shared plugin cache, no checkpoint calls, no input, and
 * none of the caller's AWS credentials or TF_CLI_ARGS (the preview never talks to AWS).
 */
export function engineEnv(
  cliConfigFile: string,
  pluginCacheDir: string,
  base: NodeJS.ProcessEnv = process.env,
) {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (key.startsWith("AWS_") || key.startsWith("TF_CLI_ARGS") || key.startsWith("TOFU_CLI")) continue;
    if (["TF_DATA_DIR", "TF_WORKSPACE", "TF_PLUGIN_CACHE_DIR", "TF_CLI_CONFIG_FILE"].includes(key)) continue;
    env[key] = value;
  }
  return {
    // Terraform and the AWS provider are Go programs that allocate heavily while loading the provider
    // schema; collecting garbage less often saves about a fifth of their CPU time for ~10% more memory.
    GOGC: "400",
    ...env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_PLUGIN_CACHE_DIR: pluginCacheDir,
    // The working copies' lock files are throwaway: link the cached provider even without a lock entry
    // (plan still verifies the provider's checksum), so parallel inits only read the shared cache.
    TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: "1",
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

export interface RunResult {
  readonly code: number;
  readonly stderr: string;
  /** Captured stdout, unless it went to a file. */
  readonly stdout: string;
  readonly seconds: number;
}

/** Runs a command; stdout is captured or written to `stdoutFile`. Never rejects on a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; stdoutFile?: string },
): Promise<RunResult> {
  const started = performance.now();
  const fd = options.stdoutFile ? openSync(options.stdoutFile, "w") : undefined;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", fd ?? "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => {
      if (fd !== undefined) closeSync(fd);
      reject(error);
    });
    child.on("close", (code, signal) => {
      if (fd !== undefined) closeSync(fd);
      resolvePromise({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8") + (signal ? `\n(killed by ${signal})` : ""),
        seconds: (performance.now() - started) / 1000,
      });
    });
  });
}
