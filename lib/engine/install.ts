import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../cli/cli";
import { engineEnv, run, type Engine } from "./engine";
import {
  PROVIDER,
  choosePackage,
  dirHash1,
  executableProblem,
  indexedHash,
  packageChecksum,
  platform,
  providerExecutables,
  writeCliConfig,
  writeFileAtomically,
  writeShim,
  type MirrorPackage,
} from "./mirror";
import { withDirectoryLock } from "./lock";
import { registryCliConfig, registryInstallError, type ProviderSource } from "./source";
import { LOCAL_BACKEND } from "./working-copy";

/**
 * The preview's one provider install per (engine, provider package): a throwaway root module with the
 * working copies' backend and provider requirement, `init`ed into its own plugin cache from a one-package
 * shim mirror, or from the engine's registry when no mirror is configured (source.ts decides). Every stack
 * then plans with its data directory (TF_DATA_DIR) and lock file.
 *
 * The install is a cache, keyed by what decides its content: engine kind and version, provider version,
 * platform, and for a mirror the package's path and host and layout and its checksum (h1 of an unpacked
 * directory, zh of a zip); for the registry, the registry host (the engine checked the package against the
 * registry's signed checksums when it installed it). A different engine, mirror or mirror content gets its own install; a reused
 * one is verified first (marker, lock, data directory, installed files' h1 unchanged since install, the
 * provider an executable for this platform) and rebuilt when anything is off.
 */

export interface ProviderInstall {
  /** `.provider-install/<version>-<engine>-<key>` */
  readonly dir: string;
  /** Its data directory (TF_DATA_DIR for plan and show). */
  readonly dataDir: string;
  readonly lockFile: string;
  /** The engine environment for this install (CLI config with its shim, its plugin cache). */
  readonly env: NodeJS.ProcessEnv;
  /** The mirror package installed; undefined for a registry install. */
  readonly package?: MirrorPackage;
  /** The mirror package's checksum, or `registry:<host>`. */
  readonly checksum: string;
  /** Seconds spent in `init` (0 when the verified cache was reused). */
  readonly seconds: number;
  /** Why an existing install was rebuilt, when it was. */
  readonly rebuilt?: string;
  readonly reused: boolean;
}

interface Marker {
  readonly key: string;
  readonly checksum: string;
  /** h1 of the installed package directory right after init. */
  readonly installedHash: string;
}

const MARKER = "install.json";

/** Where `init` put the package: <dataDir>/providers/<host>/hashicorp/aws/<version>/<os_arch>. */
export function installedPackageDir(dataDir: string, host: string, version: string): string {
  return join(dataDir, "providers", host, PROVIDER.namespace, PROVIDER.type, version, platform());
}

/** The h1 hashes a lock file records for `<host>/hashicorp/aws`. */
export function lockHashes(lockText: string, host: string): string[] {
  const block = new RegExp(
    `provider\\s+"${host.replace(/\./g, "\\.")}/${PROVIDER.namespace}/${PROVIDER.type}"\\s*\\{([\\s\\S]*?)\\n\\}`,
  ).exec(lockText);
  return block ? [...block[1].matchAll(/"(h1:[^"]+)"/g)].map((m) => m[1]) : [];
}

/**
 * Empties the checksums of the (throwaway) lock file. init has just recorded them from the very package
 * it linked, so checking them again proves nothing, yet plan and show would each re-hash the ~700 MB
 * provider binary (about half a second of CPU per command).
 */
export function dropLockHashes(lockFile: string): void {
  if (!existsSync(lockFile)) return;
  const text = readFileSync(lockFile, "utf8");
  writeFileSync(lockFile, text.replace(/\n[ \t]*hashes[ \t]*=[ \t]*\[[^\]]*\]/g, ""));
}

/** Undefined when the install in `dir` is complete and unchanged, else what is wrong with it. */
async function verifyInstall(
  dir: string,
  key: string,
  engine: Engine,
  version: string,
  memoFile: string,
): Promise<string | undefined> {
  if (!existsSync(join(dir, MARKER))) return existsSync(dir) ? "no install marker" : "not installed";
  let marker: Marker;
  try {
    marker = JSON.parse(readFileSync(join(dir, MARKER), "utf8")) as Marker;
  } catch {
    return "unreadable install marker";
  }
  if (marker.key !== key) return "install marker for another key";
  if (!existsSync(join(dir, ".terraform.lock.hcl"))) return "lock file missing";
  if (!existsSync(join(dir, ".terraform", "terraform.tfstate"))) return "data directory incomplete";
  const installed = installedPackageDir(join(dir, ".terraform"), engine.host, version);
  let executables: string[];
  try {
    executables = providerExecutables(installed);
  } catch {
    return `installed provider missing (${installed})`;
  }
  if (executables.length === 0) return `no provider executable in ${installed}`;
  for (const file of executables) {
    const problem = executableProblem(file);
    if (problem) return `${file} ${problem}`;
  }
  const hash = await dirHash1(installed, memoFile);
  if (hash !== marker.installedHash)
    return `installed provider changed since install (${hash}, installed as ${marker.installedHash})`;
  return undefined;
}

export interface InstallOptions {
  readonly workDir: string;
  readonly engine: Engine;
  /** The caller's environment (engineEnv filters it). */
  readonly baseEnv: NodeJS.ProcessEnv;
  /** Where hashicorp/aws comes from (chooseProviderSource). */
  readonly source: ProviderSource;
  readonly version: string;
  readonly log?: (line: string) => void;
  /** Checksum memo (fileSha256). @default <root>/checksums.json */
  readonly memoFile?: string;
  /** Where installs are cached; callers may share one. @default <workDir>/.provider-install */
  readonly root?: string;
}

export async function installProvider(options: InstallOptions): Promise<ProviderInstall> {
  const { workDir, engine, version, source } = options;
  const pkg = source.kind === "mirror" ? choosePackage(source.packages, version, engine.host) : undefined;
  if (source.kind === "mirror" && !pkg)
    throw new UserError(`no hashicorp/aws ${version} for ${platform()} in the plugin mirror ${source.dir}`);
  if (pkg?.layout === "unpacked") {
    const executables = providerExecutables(pkg.path);
    if (executables.length === 0)
      throw new UserError(`plugin mirror package ${pkg.path} holds no terraform-provider-aws executable`);
    for (const file of executables) {
      const problem = executableProblem(file);
      if (problem) throw new UserError(`plugin mirror: ${file} ${problem}`);
    }
  }
  const root = options.root ?? join(workDir, ".provider-install");
  mkdirSync(root, { recursive: true });
  // One install at a time per root: processes sharing it (parallel previews, test files) wait here, and
  // the next one finds the verified install and reuses it.
  return withDirectoryLock(join(root, "install.lock"), () => installLocked(options, pkg, root));
}

async function installLocked(
  options: InstallOptions,
  pkg: MirrorPackage | undefined,
  root: string,
): Promise<ProviderInstall> {
  const { engine, version } = options;
  const memoFile = options.memoFile ?? join(root, "checksums.json");
  const checksum = pkg ? await packageChecksum(pkg, memoFile) : `registry:${engine.host}`;
  const key = createHash("sha256")
    .update(
      JSON.stringify({
        engine: engine.kind,
        engineVersion: engine.version,
        host: engine.host,
        version,
        platform: platform(),
        package: pkg ? { host: pkg.host, layout: pkg.layout, path: pkg.path } : "registry",
        checksum,
      }),
    )
    .digest("hex")
    .slice(0, 16);
  const dir = join(root, `${version}-${engine.kind}-${key}`);
  const dataDir = join(dir, ".terraform");
  const lockFile = join(dir, ".terraform.lock.hcl");

  const problem = await verifyInstall(dir, key, engine, version, memoFile);
  const rebuilt = problem && problem !== "not installed" ? problem : undefined;
  if (rebuilt) options.log?.(`provider cache ${dir}: ${rebuilt}; rebuilding it`);
  if (problem) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  // The shim and CLI config are rewritten on every run: they always point at the current mirror.
  const cliConfig = join(dir, "terraform.rc");
  if (pkg) writeCliConfig(cliConfig, writeShim(join(dir, "mirror"), pkg, engine.host), engine.host);
  else writeFileAtomically(cliConfig, registryCliConfig(engine.host));
  const pluginCache = join(dir, "plugin-cache");
  mkdirSync(pluginCache, { recursive: true });
  const env = engineEnv(cliConfig, pluginCache, options.baseEnv);
  const result = { dir, dataDir, lockFile, env, package: pkg, checksum, rebuilt };
  if (!problem) return { ...result, seconds: 0, reused: true };

  writeFileSync(
    join(dir, "main.tf.json"),
    JSON.stringify(
      {
        terraform: {
          backend: LOCAL_BACKEND,
          required_providers: {
            // The engine's own host, written out: what `hashicorp/aws` means to this engine.
            aws: { source: `${engine.host}/${PROVIDER.namespace}/${PROVIDER.type}`, version },
          },
        },
      },
      null,
      2,
    ),
  );
  const init = await run(engine.path, ["init", "-input=false", "-no-color"], { cwd: dir, env });
  if (init.code !== 0)
    throw new UserError(
      pkg
        ? `provider install failed:\n${init.stderr.trim()}`
        : registryInstallError(engine.host, init.stderr || init.stdout),
    );
  const installed = installedPackageDir(dataDir, engine.host, version);
  if (!existsSync(installed) || providerExecutables(installed).length === 0)
    throw new UserError(
      `provider install: init succeeded but installed no provider executable in ${installed}`,
    );
  for (const file of providerExecutables(installed)) {
    const bad = executableProblem(file);
    if (bad) {
      rmSync(dir, { recursive: true, force: true });
      throw new UserError(
        `${pkg ? `plugin mirror package ${pkg.path}` : engine.host}: ${basenameOf(file)} ${bad}`,
      );
    }
  }
  const installedHash = await dirHash1(installed, memoFile);
  const indexed = pkg && indexedHash(pkg);
  if (pkg && indexed && indexed !== installedHash) {
    rmSync(dir, { recursive: true, force: true });
    throw new UserError(
      `plugin mirror package ${pkg.path} does not match its index: ${pkg.version}.json records ${indexed}, the archive holds ${installedHash}`,
    );
  }
  const recorded = lockHashes(readFileSync(lockFile, "utf8"), engine.host);
  if (recorded.length > 0 && !recorded.includes(installedHash)) {
    rmSync(dir, { recursive: true, force: true });
    throw new UserError(
      `provider install: the lock file records ${recorded.join(", ")}, the installed package is ${installedHash}`,
    );
  }
  dropLockHashes(lockFile);
  const marker: Marker = { key, checksum, installedHash };
  writeFileSync(join(dir, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
  return { ...result, seconds: init.seconds, reused: false };
}

function basenameOf(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
