import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Engine } from "../../lib/engine/engine";
import { installProvider } from "../../lib/engine/install";
import { platform } from "../../lib/engine/mirror";
import { chooseProviderSource, registryCliConfig } from "../../lib/engine/source";
import { AWS_PROVIDER_VERSION } from "../../stacks/requirements";
import { withEngine } from "./available";

/**
 * Where the provider comes from: a configured filesystem mirror, else the registry, decided from the
 * configuration alone; and the registry path's `init`, run by a stand-in engine (no network here).
 */

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "provider-source-"));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** A filesystem mirror holding an unpacked stand-in hashicorp/aws for this platform. */
function mirrorAt(dir: string): string {
  const pkg = join(dir, "registry.opentofu.org", "hashicorp", "aws", AWS_PROVIDER_VERSION, platform());
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, `terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5`), "\x7fELF", { mode: 0o755 });
  return dir;
}

describe("chooseProviderSource", () => {
  test("TF_PLUGIN_MIRROR set: that mirror, even when the default one exists too", () => {
    const explicit = mirrorAt(join(tmp, "explicit"));
    const source = chooseProviderSource({ TF_PLUGIN_MIRROR: explicit }, mirrorAt(join(tmp, "default")));
    expect(source).toMatchObject({ kind: "mirror", dir: explicit, from: "TF_PLUGIN_MIRROR" });
    expect(source.kind === "mirror" && source.packages.map((p) => p.version)).toEqual([AWS_PROVIDER_VERSION]);
  });

  test("TF_PLUGIN_MIRROR unset and the default mirror present: the default mirror", () => {
    const fallback = mirrorAt(join(tmp, "default"));
    expect(chooseProviderSource({}, fallback)).toMatchObject({
      kind: "mirror",
      dir: fallback,
      from: "default",
    });
    expect(chooseProviderSource({ TF_PLUGIN_MIRROR: "" }, fallback)).toMatchObject({ from: "default" });
  });

  test("no mirror configured at all: the registry", () => {
    expect(chooseProviderSource({}, join(tmp, "no-such-default"))).toEqual({ kind: "registry" });
  });

  test("an explicit mirror that does not exist: one clear error, never the registry instead", () => {
    const missing = join(tmp, "nope");
    expect(() => chooseProviderSource({ TF_PLUGIN_MIRROR: missing }, join(tmp, "no-default"))).toThrow(
      new Error(
        `plugin mirror ${missing} does not exist (set TF_PLUGIN_MIRROR to a Terraform filesystem mirror)`,
      ),
    );
  });

  test("a default mirror that holds no provider is an error too (it is configured, just broken)", () => {
    mkdirSync(join(tmp, "empty"));
    expect(() => chooseProviderSource({}, join(tmp, "empty"))).toThrow(/holds no hashicorp\/aws provider/);
  });
});

describe("the registry install", () => {
  const host = "registry.opentofu.org";

  /** A stand-in OpenTofu: logs its arguments and settings, and `init` installs what the real one would. */
  function standInEngine(initFails?: string): Engine {
    const path = join(tmp, "tofu");
    if (initFails) writeFileSync(join(tmp, "init-error.txt"), initFails);
    const installed = `.terraform/providers/${host}/hashicorp/aws/${AWS_PROVIDER_VERSION}/${platform()}`;
    writeFileSync(
      path,
      [
        "#!/usr/bin/env bash",
        `{ echo "args: $*"; echo "cache: $TF_PLUGIN_CACHE_DIR"; echo "config: $TF_CLI_CONFIG_FILE"; } >>"${tmp}/calls.log"`,
        initFails
          ? `cat "${tmp}/init-error.txt" >&2; exit 1`
          : [
              `mkdir -p "${installed}"`,
              `printf '\\x7fELF' >"${installed}/terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5"`,
              'echo "{}" >.terraform/terraform.tfstate',
              `printf 'provider "${host}/hashicorp/aws" {\\n}\\n' >.terraform.lock.hcl`,
            ].join("\n"),
        "",
      ].join("\n"),
    );
    chmodSync(path, 0o755);
    return { kind: "tofu", path, version: "1.11.14", host };
  }

  test("a plain init into the install's plugin cache, with a CLI config naming only the registry", async () => {
    const install = await installProvider({
      workDir: join(tmp, "work"),
      engine: standInEngine(),
      baseEnv: { PATH: process.env.PATH },
      source: { kind: "registry" },
      version: AWS_PROVIDER_VERSION,
    });
    const calls = readFileSync(join(tmp, "calls.log"), "utf8").trim().split("\n");
    expect(calls[0]).toBe("args: init -input=false -no-color");
    expect(calls[1]).toBe(`cache: ${join(install.dir, "plugin-cache")}`);
    const config = readFileSync(calls[2].replace(/^config: /, ""), "utf8");
    expect(config).toBe(registryCliConfig(host));
    expect(config).toContain(`direct {\n    include = ["${host}/hashicorp/aws"]`);
    expect(config).not.toContain("filesystem_mirror");
    expect(install).toMatchObject({ package: undefined, checksum: `registry:${host}`, reused: false });

    // The same install is reused, verified, without another init.
    const again = await installProvider({
      workDir: join(tmp, "work"),
      engine: standInEngine(),
      baseEnv: { PATH: process.env.PATH },
      source: { kind: "registry" },
      version: AWS_PROVIDER_VERSION,
    });
    expect(again.reused).toBe(true);
    expect(readFileSync(join(tmp, "calls.log"), "utf8").trim().split("\n")).toHaveLength(3);
  });

  test("neither a mirror nor the registry: one line naming both ways out and the engine's error", async () => {
    const failure = [
      "╷",
      "│ Error: Failed to query available provider packages",
      "│ ",
      "│ Could not retrieve the list of available versions for provider hashicorp/aws: could not connect to",
      "│ registry.opentofu.org: dial tcp: lookup registry.opentofu.org: no such host",
      "╵",
    ].join("\n");
    const attempt = installProvider({
      workDir: join(tmp, "work"),
      engine: standInEngine(failure),
      baseEnv: { PATH: process.env.PATH },
      source: { kind: "registry" },
      version: AWS_PROVIDER_VERSION,
    });
    await expect(attempt).rejects.toThrow(
      new Error(
        "provider install failed: no filesystem mirror is configured (TF_PLUGIN_MIRROR unset, /opt/tf-plugins absent) and the registry registry.opentofu.org did not serve hashicorp/aws; set TF_PLUGIN_MIRROR to a mirror or allow access to registry.opentofu.org (Error: Failed to query available provider packages Could not retrieve the list of available versions for provider hashicorp/aws: could not connect to registry.opentofu.org: dial tcp: lookup registry.opentofu.org: no such host)",
      ),
    );
    await attempt.catch((error: Error) => expect(error.message).not.toContain("\n"));
  });
});

withEngine("the registry install, with the real engine", (engine) => {
  // An unreachable proxy makes the registry unreachable everywhere (here and on GitHub's runners), so the
  // engine reads the CLI config, tries the registry and fails: what a machine with neither sees.
  test("parses the CLI config, tries the registry, and fails in one line naming both ways out", async () => {
    const attempt = installProvider({
      workDir: join(tmp, "work"),
      engine,
      baseEnv: { ...process.env, HTTPS_PROXY: "http://127.0.0.1:9", https_proxy: "http://127.0.0.1:9" },
      source: { kind: "registry" },
      version: AWS_PROVIDER_VERSION,
    });
    const error = await attempt.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(
      new RegExp(
        `^provider install failed: no filesystem mirror is configured \\(TF_PLUGIN_MIRROR unset, /opt/tf-plugins absent\\) and the registry ${engine.host.replace(/\./g, "\\.")} did not serve hashicorp/aws; set TF_PLUGIN_MIRROR to a mirror or allow access to ${engine.host.replace(/\./g, "\\.")} \\(Error: Failed to query available provider packages `,
      ),
    );
    expect(error?.message).not.toContain("\n");
  });
});
