import { spawn, spawnSync } from "node:child_process";
import { accessSync, closeSync, constants, openSync, statSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { UserError } from "../cli/cli";

/**
 * The one engine setting shared by scripts, workflows and tests: cdktf's own TERRAFORM_BINARY_NAME (a
 * name on PATH or a path). Unset: `tofu` if it is on PATH, else `terraform` (cdktf-cli's order).
 */
export const ENGINE_SETTING = "TERRAFORM_BINARY_NAME";

export type EngineKind = "terraform" | "tofu";

/**
 * The registry host each engine gives a provider source written without one (`hashicorp/aws`). Source:
 * internal/addrs/provider.go DefaultProviderRegistryHost in Terraform v1.11.4 (from
 * hashicorp/terraform-registry-address) and OpenTofu v1.11.14 (from opentofu/registry-address).
 */
export const REGISTRY_HOST: Readonly<Record<EngineKind, string>> = {
  terraform: "registry.terraform.io",
  tofu: "registry.opentofu.org",
};

export interface Engine {
  /** What the binary said it is (`version`), not what it is called. */
  readonly kind: EngineKind;
  /** Absolute path of the binary. */
  readonly path: string;
  /** `terraform_version` of `version -json` (OpenTofu writes the same key), e.g. 1.11.4. */
  readonly version: string;
  /** The host this engine addresses `hashicorp/aws` by: REGISTRY_HOST[kind]. */
  readonly host: string;
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
 * The engine binary, resolved in this one place: TERRAFORM_BINARY_NAME when set (a name on PATH or a
 * path), else `tofu` if it is on PATH, else `terraform`. Throws a one-line UserError when there is none.
 */
export function engineBinary(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[ENGINE_SETTING];
  if (override) {
    const path = override.includes("/")
      ? isExecutable(resolve(override))
        ? resolve(override)
        : undefined
      : onPath(override, env);
    if (!path) throw new UserError(`${ENGINE_SETTING}=${override} is not an executable on PATH`);
    return path;
  }
  const found = onPath("tofu", env) ?? onPath("terraform", env);
  if (found) return found;
  throw new UserError(
    `no Terraform engine: neither tofu nor terraform is on PATH (or set ${ENGINE_SETTING})`,
  );
}

/**
 * Asks the binary what it is. Both engines answer `version -json` with `terraform_version` (OpenTofu kept
 * Terraform's key: internal/command/views/version.go, versionOutput), so the JSON gives the version but
 * not the engine; the first line of `version` names it: `Terraform v1.11.4` (Terraform
 * internal/command/version.go) or `OpenTofu v1.11.14` (OpenTofu internal/command/views/version.go).
 */
export function identifyEngine(path: string): Engine {
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" };
  const ask = (args: string[]) => spawnSync(path, args, { encoding: "utf8", env, timeout: 60_000 });
  const human = ask(["version"]);
  const named = /^(Terraform|OpenTofu) v(\S+)/.exec(human.stdout ?? "");
  if (human.status !== 0 || !named)
    throw new UserError(
      `${path} is not Terraform or OpenTofu: \`version\` printed ${JSON.stringify((human.stdout ?? "").split("\n")[0])} (expected "Terraform v..." or "OpenTofu v...")`,
    );
  const kind: EngineKind = named[1] === "OpenTofu" ? "tofu" : "terraform";
  let version = named[2];
  const json = ask(["version", "-json"]);
  try {
    const parsed = JSON.parse(json.stdout) as { terraform_version?: unknown };
    if (typeof parsed.terraform_version === "string") version = parsed.terraform_version;
  } catch {
    // Older binaries without -json: the human line's version stands.
  }
  return { kind, path, version, host: REGISTRY_HOST[kind] };
}

const identified = new Map<string, Engine>();

/** The engine (engineBinary), identified by asking it; memoized per binary path. */
export function findEngine(env: NodeJS.ProcessEnv = process.env): Engine {
  const path = engineBinary(env);
  if (!identified.has(path)) identified.set(path, identifyEngine(path));
  return identified.get(path)!;
}

/**
 * The engine's environment: our CLI config and plugin cache, no checkpoint calls, no input, and none of
 * the caller's AWS credentials or TF_CLI_ARGS (the preview never talks to AWS).
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
