import { createHash } from "node:crypto";
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  openSync,
  readSync,
  closeSync,
} from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { UserError } from "../cli/cli";
import { REGISTRY_HOST } from "./engine";

/**
 * Filesystem mirrors of hashicorp/aws, in the layouts both engines read (Terraform and OpenTofu share this
 * scan: internal/getproviders/filesystem_search.go, SearchLocalDirectory):
 *   unpacked  <host>/hashicorp/aws/<version>/<os_arch>/            (a directory)
 *   packed    <host>/hashicorp/aws/terraform-provider-aws_<version>_<os_arch>.zip
 * `providers mirror` writes the packed layout plus index.json and <version>.json (network-mirror indexes,
 * ignored by a filesystem mirror; read here only to check the archive's h1 hash after install). <host> is
 * registry.terraform.io (Terraform) or registry.opentofu.org (OpenTofu), and a mirror may hold either.
 */

/** Where the hashicorp/aws provider comes from unless TF_PLUGIN_MIRROR says otherwise. */
export const DEFAULT_PLUGIN_MIRROR = "/opt/tf-plugins";

export const PROVIDER = { namespace: "hashicorp", type: "aws" } as const;

/** Both engines' default registry hosts: the two a mirror may be laid out under. */
export const MIRROR_HOSTS: readonly string[] = Object.values(REGISTRY_HOST);

/** Terraform's name for this machine's platform, e.g. linux_amd64. */
export function platform(): string {
  const arch: Record<string, string> = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" };
  return `${process.platform === "win32" ? "windows" : process.platform}_${arch[process.arch] ?? process.arch}`;
}

export interface MirrorPackage {
  readonly host: string;
  readonly version: string;
  readonly layout: "unpacked" | "packed";
  /** The platform directory (unpacked) or the zip (packed), as found in the mirror. */
  readonly path: string;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Every hashicorp/aws package for this platform in the mirror, under either host, in either layout. The
 * mirror's own directories may be symlinks here: the engines only ever see the shim (writeShim).
 */
export function mirrorPackages(mirrorDir: string): MirrorPackage[] {
  const mirror = resolve(mirrorDir);
  const found: MirrorPackage[] = [];
  const zip = new RegExp(`^terraform-provider-${PROVIDER.type}_(.+)_${platform()}\\.zip$`, "i");
  for (const host of MIRROR_HOSTS) {
    const dir = join(mirror, host, PROVIDER.namespace, PROVIDER.type);
    if (!isDir(dir)) continue;
    for (const entry of readdirSync(dir).sort()) {
      const unpacked = join(dir, entry, platform());
      if (isDir(unpacked)) found.push({ host, version: entry, layout: "unpacked", path: unpacked });
      const packed = zip.exec(entry);
      if (packed && isFile(join(dir, entry)))
        found.push({ host, version: packed[1], layout: "packed", path: join(dir, entry) });
    }
  }
  return found;
}

export function compareVersions(a: string, b: string): number {
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

/** The hashicorp/aws versions a mirror holds for this platform (ascending, any host and layout). */
export function mirrorVersions(mirror: string): string[] {
  return [...new Set(mirrorPackages(mirror).map((p) => p.version))].sort(compareVersions);
}

/** Checks the mirror exists and holds hashicorp/aws for this platform; returns its packages. */
export function checkMirror(mirror: string): MirrorPackage[] {
  if (!isDir(mirror))
    throw new UserError(
      `plugin mirror ${mirror} does not exist (set TF_PLUGIN_MIRROR to a Terraform filesystem mirror)`,
    );
  const packages = mirrorPackages(mirror);
  if (packages.length === 0) {
    const where = `${PROVIDER.namespace}/${PROVIDER.type}`;
    throw new UserError(
      `plugin mirror ${mirror} holds no hashicorp/aws provider for ${platform()} (expected <host>/${where}/<version>/${platform()}/ or <host>/${where}/terraform-provider-aws_<version>_${platform()}.zip, <host> = ${MIRROR_HOSTS.join(" or ")})`,
    );
  }
  return packages;
}

/** The package to install `version` from: the engine's own host first, then unpacked before packed. */
export function choosePackage(packages: readonly MirrorPackage[], version: string, host: string) {
  const candidates = packages.filter((p) => p.version === version);
  const rank = (p: MirrorPackage) => (p.host === host ? 0 : 2) + (p.layout === "unpacked" ? 0 : 1);
  return [...candidates].sort((a, b) => rank(a) - rank(b))[0];
}

/**
 * A one-package mirror the engine can scan: real directories down to the version (the scan does not
 * descend into a symlink at host, namespace, type or version level, so a linked `hashicorp/aws` gives
 * "provider ... was not found"), and only the platform directory (unpacked) or the zip (packed) linked to
 * the mirror. Laid out under the engine's host, whichever host the mirror used. Rewritten when it does
 * not point at `pkg` (a changed TF_PLUGIN_MIRROR), and left alone when it does: another process may be
 * planning through it at this moment (the engine suites share one install). Returns the shim's root.
 */
export function writeShim(root: string, pkg: MirrorPackage, host: string): string {
  const typeDir = join(root, host, PROVIDER.namespace, PROVIDER.type);
  const link =
    pkg.layout === "unpacked" ? join(typeDir, pkg.version, platform()) : join(typeDir, basename(pkg.path));
  let current: string | undefined;
  try {
    current = readlinkSync(link);
  } catch {
    // No shim yet, or a broken one: written below.
  }
  if (current === pkg.path) return root;
  rmSync(root, { recursive: true, force: true });
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(pkg.path, link);
  return root;
}

/** The CLI configuration: hashicorp/aws from the shim mirror only, nothing from a network. */
export function writeCliConfig(file: string, shimRoot: string, host: string): string {
  writeFileAtomically(
    file,
    [
      "# Written by lib/engine: providers come from the filesystem mirror, never from a registry.",
      "disable_checkpoint = true",
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = ${JSON.stringify(shimRoot)}`,
      `    include = [${JSON.stringify(`${host}/${PROVIDER.namespace}/${PROVIDER.type}`)}]`,
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  return file;
}

/**
 * Writes `text` to `file` unless it already holds it, through a temporary file and a rename: a process
 * reading the file at the same time (an engine run sharing the install) sees the old or the new whole.
 */
export function writeFileAtomically(file: string, text: string): void {
  try {
    if (readFileSync(file, "utf8") === text) return;
  } catch {
    // Not written yet.
  }
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/** Files under a directory (symlinks followed), relative, `/`-separated, sorted. */
function filesUnder(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (isDir(path)) walk(path);
      else files.push(relative(dir, path).split("\\").join("/"));
    }
  };
  walk(dir);
  return files.sort();
}

type Memo = Record<string, { size: number; mtimeMs: number; sha256: string }>;

function readMemo(memoFile: string): Memo {
  try {
    return JSON.parse(readFileSync(memoFile, "utf8")) as Memo;
  } catch {
    return {};
  }
}

/**
 * sha256 of a file, memoized in `memoFile` by device, inode, size and mtime (as git's index does), so
 * the ~700 MB provider is read once, not on every run; any change to the file re-hashes it.
 */
export async function fileSha256(path: string, memoFile: string): Promise<string> {
  const stat = statSync(path);
  const id = `${stat.dev}:${stat.ino}`;
  const hit = readMemo(memoFile)[id];
  if (hit && hit.size === stat.size && hit.mtimeMs === stat.mtimeMs) return hit.sha256;
  const hash = createHash("sha256");
  await new Promise<void>((resolvePromise, reject) =>
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("end", resolvePromise)
      .on("error", reject),
  );
  const sha256 = hash.digest("hex");
  const memo = readMemo(memoFile);
  memo[id] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256 };
  mkdirSync(dirname(memoFile), { recursive: true });
  const temp = `${memoFile}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(temp, JSON.stringify(memo));
  renameSync(temp, memoFile);
  return sha256;
}

/**
 * The package's checksum in the engines' own schemes: `h1:` (golang.org/x/mod/sumdb/dirhash Hash1, what
 * lock files record) of an unpacked directory, `zh:` (sha256 of the archive) of a zip.
 */
export async function packageChecksum(pkg: MirrorPackage, memoFile: string): Promise<string> {
  if (pkg.layout === "packed") return `zh:${await fileSha256(pkg.path, memoFile)}`;
  return dirHash1(pkg.path, memoFile);
}

/** dirhash Hash1 of a directory: sha256 over "<sha256 hex>  <relative name>\n" lines, base64, "h1:". */
export async function dirHash1(dir: string, memoFile: string): Promise<string> {
  const summary = createHash("sha256");
  for (const file of filesUnder(dir))
    summary.update(`${await fileSha256(join(dir, file), memoFile)}  ${file}\n`);
  return `h1:${summary.digest("base64")}`;
}

/** The h1 hash a `providers mirror` index (<version>.json) records for this platform's archive, if any. */
export function indexedHash(pkg: MirrorPackage): string | undefined {
  if (pkg.layout !== "packed") return undefined;
  const indexFile = join(dirname(pkg.path), `${pkg.version}.json`);
  if (!existsSync(indexFile)) return undefined;
  try {
    const index = JSON.parse(readFileSync(indexFile, "utf8")) as {
      archives?: Record<string, { url?: string; hashes?: string[] }>;
    };
    const archive = index.archives?.[platform()];
    return archive?.hashes?.find((h) => h.startsWith("h1:"));
  } catch {
    throw new UserError(`plugin mirror index ${indexFile} is not valid JSON`);
  }
}

/** The first bytes an executable for this platform starts with (ELF, Mach-O, PE). */
const EXECUTABLE_MAGIC: Readonly<Record<string, readonly Buffer[]>> = {
  linux: [Buffer.from([0x7f, 0x45, 0x4c, 0x46])],
  darwin: [Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), Buffer.from([0xca, 0xfe, 0xba, 0xbe])],
  win32: [Buffer.from("MZ")],
};

/** Undefined when `file` starts like an executable for this platform, else why not. */
export function executableProblem(file: string): string | undefined {
  const magics = EXECUTABLE_MAGIC[process.platform];
  if (!magics) return undefined;
  const head = Buffer.alloc(4);
  let read = 0;
  try {
    const fd = openSync(file, "r");
    try {
      read = readSync(fd, head, 0, 4, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return `cannot be read (${(error as Error).message})`;
  }
  const ok = magics.some((m) => read >= m.length && head.subarray(0, m.length).equals(m));
  return ok ? undefined : `is not a ${platform()} executable (it would fail with "exec format error")`;
}

/** The provider executables in an unpacked package directory (terraform-provider-aws*). */
export function providerExecutables(dir: string): string[] {
  return filesUnder(dir)
    .filter((f) => basename(f).startsWith(`terraform-provider-${PROVIDER.type}`))
    .map((f) => join(dir, f));
}
