import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { engineEnv, run, type Engine } from "../../lib/engine/engine";
import { installProvider, installedPackageDir, lockHashes } from "../../lib/engine/install";
import {
  MIRROR_HOSTS,
  dirHash1,
  executableProblem,
  mirrorPackages,
  platform,
  providerExecutables,
  writeCliConfig,
  writeShim,
  type MirrorPackage,
} from "../../lib/engine/mirror";
import { AWS_PROVIDER_VERSION } from "../../stacks/requirements";
import { withEngine } from "./available";

/**
 * Provider mirrors and the provider install cache, with the real engine. Test mirrors are built in a
 * temporary directory: unpacked (the platform directory linked to the package) and packed (the files
 * zipped, plus index.json and <version>.json as `providers mirror` writes them), under both hosts.
 *
 * The package is a stand-in with the pinned version and the real package's file names (the provider
 * executable and LICENSE.txt), whose executable is only the ELF header: `init` installs and hashes a
 * provider but never runs it, and these tests are about layouts, hosts, checksums and the cache. The real
 * 675 MB binary made each install copy, zip and hash it; the engine suites that plan run the real one. The
 * stand-in needs no mirror on this machine, so the suite runs where only the registry is reachable.
 *
 * What is simulated: this machine's engine reads mirrors under its own host. The other engine's host is
 * exercised through the same shared scan code (internal/getproviders/filesystem_search.go is the same in
 * both engines) by giving the install an engine whose host is the other one: its install module then
 * requires `<other host>/hashicorp/aws` explicitly, which is what the other engine does for `hashicorp/aws`.
 */

withEngine("provider mirrors and the install cache", (engine: Engine) => {
  const otherHost = MIRROR_HOSTS.find((h) => h !== engine.host)!;
  const simulatedOther: Engine = {
    ...engine,
    kind: engine.kind === "tofu" ? "terraform" : "tofu",
    host: otherHost,
  };
  let tmp: string;
  let real: MirrorPackage;
  let realHash: string;
  let memo: string;
  const mirrors: Record<string, string> = {};

  /** A mirror holding the real package under `host`, unpacked (platform directory linked). */
  function unpackedMirror(name: string, host: string): string {
    const root = join(tmp, name);
    const versionDir = join(root, host, "hashicorp", "aws", real.version);
    mkdirSync(versionDir, { recursive: true });
    symlinkSync(realpathSync(real.path), join(versionDir, platform()));
    return root;
  }

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "engine-mirror-"));
    memo = join(tmp, "checksums.json");
    // The file names of the released package (terraform-provider-aws_<version>_<os_arch>.zip holds both).
    const version = AWS_PROVIDER_VERSION;
    const standIn = join(tmp, "stand-in", version, platform());
    mkdirSync(standIn, { recursive: true });
    writeFileSync(
      join(standIn, `terraform-provider-aws_v${version}_x5`),
      Buffer.from("\x7fELF stand-in provider\n", "latin1"),
      { mode: 0o755 },
    );
    writeFileSync(join(standIn, "LICENSE.txt"), "stand-in license\n");
    real = { host: engine.host, version, layout: "unpacked", path: standIn };
    realHash = await dirHash1(real.path, memo);

    // Packed: the package's files at the zip's root (stored, not compressed: only the layout matters).
    const zipName = `terraform-provider-aws_${real.version}_${platform()}.zip`;
    const zip = join(tmp, zipName);
    const files = [...providerExecutables(real.path), join(real.path, "LICENSE.txt")].filter((f) =>
      existsSync(f),
    );
    const zipped = spawnSync("zip", ["-q", "-0", "-j", zip, ...files]);
    if (zipped.status !== 0) throw new Error(`zip failed: ${zipped.stderr}`);
    for (const host of MIRROR_HOSTS) {
      mirrors[`unpacked ${host}`] = unpackedMirror(`unpacked-${host}`, host);
      const typeDir = join(tmp, `packed-${host}`, host, "hashicorp", "aws");
      mkdirSync(typeDir, { recursive: true });
      linkSync(zip, join(typeDir, zipName));
      writeFileSync(
        join(typeDir, "index.json"),
        JSON.stringify({ versions: { [real.version]: {} } }, null, 2),
      );
      writeFileSync(
        join(typeDir, `${real.version}.json`),
        JSON.stringify({ archives: { [platform()]: { url: zipName, hashes: [realHash] } } }, null, 2),
      );
      mirrors[`packed ${host}`] = join(tmp, `packed-${host}`);
    }
  }, 600_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** `init` of a module requiring `<host>/hashicorp/aws`, with a CLI config reading only `mirrorRoot`. */
  async function rawInit(name: string, mirrorRoot: string, host: string) {
    const dir = join(tmp, name);
    mkdirSync(dir, { recursive: true });
    const source = `${host}/hashicorp/aws`;
    writeFileSync(
      join(dir, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: { aws: { source, version: real.version } } } }),
    );
    const env = engineEnv(writeCliConfig(join(dir, "cli.rc"), mirrorRoot, host), join(dir, "cache"));
    mkdirSync(join(dir, "cache"), { recursive: true });
    const result = await run(engine.path, ["init", "-input=false", "-no-color"], { cwd: dir, env });
    return { ...result, dir };
  }

  test("a symlink at host/namespace/type is not scanned: the provider is not found", async () => {
    const root = join(tmp, "linked-type");
    mkdirSync(join(root, engine.host, "hashicorp"), { recursive: true });
    symlinkSync(join(realpathSync(real.path), "..", ".."), join(root, engine.host, "hashicorp", "aws"));
    const result = await rawInit("init-linked-type", root, engine.host);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(
      new RegExp(`provider ${engine.host.replace(/\./g, "\\.")}/hashicorp/aws was not found`),
    );
  }, 300_000);

  test("the shim (real directories down to the version, the platform directory linked) installs", async () => {
    const shim = writeShim(join(tmp, "shim"), real, engine.host);
    const typeDir = join(shim, engine.host, "hashicorp", "aws");
    for (const dir of [
      join(shim, engine.host),
      join(shim, engine.host, "hashicorp"),
      typeDir,
      join(typeDir, real.version),
    ])
      expect([dir, lstatSync(dir).isSymbolicLink(), lstatSync(dir).isDirectory()]).toEqual([
        dir,
        false,
        true,
      ]);
    expect(lstatSync(join(typeDir, real.version, platform())).isSymbolicLink()).toBe(true);
    const result = await rawInit("init-shim", shim, engine.host);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // Our h1 is the engine's: the lock file records exactly the hash computed here.
    expect(lockHashes(readFileSync(join(result.dir, ".terraform.lock.hcl"), "utf8"), engine.host)).toContain(
      realHash,
    );
  }, 300_000);

  test("the scan finds the package in either layout under either host", () => {
    for (const host of MIRROR_HOSTS) {
      expect(mirrorPackages(mirrors[`unpacked ${host}`])).toEqual([
        {
          host,
          version: real.version,
          layout: "unpacked",
          path: join(mirrors[`unpacked ${host}`], host, "hashicorp", "aws", real.version, platform()),
        },
      ]);
      expect(mirrorPackages(mirrors[`packed ${host}`])).toEqual([
        {
          host,
          version: real.version,
          layout: "packed",
          path: join(
            mirrors[`packed ${host}`],
            host,
            "hashicorp",
            "aws",
            `terraform-provider-aws_${real.version}_${platform()}.zip`,
          ),
        },
      ]);
    }
  });

  const installFrom = (mirror: string, workDir: string, as: Engine = engine, log?: (l: string) => void) =>
    installProvider({
      workDir,
      engine: as,
      baseEnv: process.env,
      source: { kind: "mirror", dir: mirror, from: "TF_PLUGIN_MIRROR", packages: mirrorPackages(mirror) },
      version: real.version,
      log,
      memoFile: memo,
    });

  const expectInstalled = (install: Awaited<ReturnType<typeof installFrom>>, host: string) => {
    const dir = installedPackageDir(install.dataDir, host, real.version);
    const executables = providerExecutables(dir);
    expect(executables.map((f) => basename(f))).toEqual(
      providerExecutables(real.path).map((f) => basename(f)),
    );
    for (const file of executables) expect(executableProblem(file)).toBeUndefined();
    expect(readFileSync(install.lockFile, "utf8")).toContain(`provider "${host}/hashicorp/aws"`);
  };

  test.each(["unpacked", "packed"])(
    "init installs from a %s mirror under either host, for this engine's host",
    async (layout) => {
      for (const host of MIRROR_HOSTS) {
        const install = await installFrom(mirrors[`${layout} ${host}`], join(tmp, `work-${layout}-${host}`));
        expect(install.reused).toBe(false);
        expect(install.package?.host).toBe(host);
        expectInstalled(install, engine.host);
      }
    },
    600_000,
  );

  test.each(["unpacked", "packed"])(
    "simulated other engine: init installs from a %s mirror under the other host, addressed by it",
    async (layout) => {
      const install = await installFrom(
        mirrors[`${layout} ${otherHost}`],
        join(tmp, `sim-${layout}`),
        simulatedOther,
      );
      expect(install.reused).toBe(false);
      expectInstalled(install, otherHost);
      expect(existsSync(join(install.dataDir, "providers", engine.host))).toBe(false);
    },
    600_000,
  );

  test("the cache is keyed by engine and mirror, reused only when both match, and re-pointed at the mirror", async () => {
    const workDir = join(tmp, "work-keys");
    const mirror = mirrors[`unpacked ${engine.host}`];
    const first = await installFrom(mirror, workDir);
    const again = await installFrom(mirror, workDir);
    expect(first.reused).toBe(false);
    expect([again.reused, again.dir, again.seconds]).toEqual([true, first.dir, 0]);
    const otherEngine = await installFrom(mirrors[`unpacked ${otherHost}`], workDir, simulatedOther);
    expect(otherEngine.dir).not.toBe(first.dir);
    // The same content at another path (TF_PLUGIN_MIRROR changed): its own install, its shim points there.
    const moved = unpackedMirror("moved-mirror", engine.host);
    const elsewhere = await installFrom(moved, workDir);
    expect(elsewhere.dir).not.toBe(first.dir);
    const link = (install: typeof first) =>
      readlinkSync(join(install.dir, "mirror", engine.host, "hashicorp", "aws", real.version, platform()));
    expect(link(elsewhere)).toBe(join(moved, engine.host, "hashicorp", "aws", real.version, platform()));
    expect(link(first)).toBe(join(mirror, engine.host, "hashicorp", "aws", real.version, platform()));
  }, 600_000);

  test("a corrupt mirror never passes, even with a good cache of the same path", async () => {
    const workDir = join(tmp, "work-corrupt");
    const root = join(tmp, "mutable");
    const pkgDir = join(root, engine.host, "hashicorp", "aws", real.version, platform());
    mkdirSync(pkgDir, { recursive: true });
    const files = providerExecutables(real.path);
    for (const file of files) symlinkSync(realpathSync(file), join(pkgDir, basename(file)));
    const good = await installFrom(root, workDir);
    expect(good.reused).toBe(false);

    // The binary replaced in place by something that is not an executable (what gave "exec format error").
    const binary = join(pkgDir, basename(files[0]));
    unlinkSync(binary);
    writeFileSync(binary, "this is not a provider binary\n", { mode: 0o755 });
    await expect(installFrom(root, workDir)).rejects.toThrow(
      `plugin mirror: ${binary} is not a ${platform()} executable (it would fail with "exec format error")`,
    );

    // Restored: the same key as before, and the verified cache is reused.
    unlinkSync(binary);
    symlinkSync(realpathSync(files[0]), binary);
    const restored = await installFrom(root, workDir);
    expect([restored.reused, restored.dir]).toEqual([true, good.dir]);
  }, 600_000);

  test("a broken cache is rebuilt by itself", async () => {
    const workDir = join(tmp, "work-broken-cache");
    const mirror = mirrors[`unpacked ${engine.host}`];
    const first = await installFrom(mirror, workDir);
    // The installed provider replaced by garbage under the same name: the engine starting it would get
    // "exec format error" (ENOEXEC from execve; Go's os/exec does not fall back to a shell).
    const installed = installedPackageDir(first.dataDir, engine.host, real.version);
    const name = basename(providerExecutables(installed)[0]);
    rmSync(installed, { recursive: true, force: true });
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(installed, name), "garbage\n", { mode: 0o755 });

    const lines: string[] = [];
    const second = await installFrom(mirror, workDir, engine, (l) => lines.push(l));
    expect([second.dir, second.reused]).toEqual([first.dir, false]);
    expect(second.rebuilt).toBe(
      `${join(installed, name)} is not a ${platform()} executable (it would fail with "exec format error")`,
    );
    expect(lines).toEqual([`provider cache ${first.dir}: ${second.rebuilt}; rebuilding it`]);
    expectInstalled(second, engine.host);
    expect(await dirHash1(installedPackageDir(second.dataDir, engine.host, real.version), memo)).toBe(
      realHash,
    );

    // A cache whose marker is gone (an interrupted install) is rebuilt too.
    rmSync(join(second.dir, "install.json"));
    const third = await installFrom(mirror, workDir);
    expect([third.reused, third.rebuilt]).toEqual([false, "no install marker"]);
  }, 600_000);

  test("a packed archive that does not match its index is refused", async () => {
    const typeDir = join(tmp, "bad-index", engine.host, "hashicorp", "aws");
    mkdirSync(typeDir, { recursive: true });
    const zipName = `terraform-provider-aws_${real.version}_${platform()}.zip`;
    linkSync(
      join(mirrors[`packed ${engine.host}`], engine.host, "hashicorp", "aws", zipName),
      join(typeDir, zipName),
    );
    const wrong = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    writeFileSync(
      join(typeDir, `${real.version}.json`),
      JSON.stringify({ archives: { [platform()]: { url: zipName, hashes: [wrong] } } }),
    );
    await expect(installFrom(join(tmp, "bad-index"), join(tmp, "work-bad-index"))).rejects.toThrow(
      `does not match its index: ${real.version}.json records ${wrong}, the archive holds ${realHash}`,
    );
  }, 600_000);

  test("copying a file keeps the checksum; changing it changes the checksum", async () => {
    const a = join(tmp, "hash-a");
    mkdirSync(a);
    copyFileSync(join(real.path, "LICENSE.txt"), join(a, "LICENSE.txt"));
    const before = await dirHash1(a, memo);
    expect(await dirHash1(a, memo)).toBe(before);
    writeFileSync(join(a, "LICENSE.txt"), "changed");
    expect(await dirHash1(a, memo)).not.toBe(before);
  });
});
