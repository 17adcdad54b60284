import { statSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_PLUGIN_MIRROR, PROVIDER, checkMirror, type MirrorPackage } from "./mirror";

/**
 * Where the preview installs hashicorp/aws from, decided in this one place from what is configured:
 *
 * - `TF_PLUGIN_MIRROR` set: that filesystem mirror, and only it (air-gapped machines). A path that does
 *   not exist or holds no provider is an error, never a silent fall back to the network.
 * - unset, and the default mirror (/opt/tf-plugins) exists: that mirror (the project's own machines).
 * - neither: the engine's registry (GitHub-hosted runners, laptops), a plain `init` into the install's
 *   plugin cache.
 */
export type ProviderSource =
  | {
      readonly kind: "mirror";
      readonly dir: string;
      /** How the mirror was chosen, for messages. */
      readonly from: "TF_PLUGIN_MIRROR" | "default";
      readonly packages: readonly MirrorPackage[];
    }
  | { readonly kind: "registry" };

export const MIRROR_SETTING = "TF_PLUGIN_MIRROR";

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function chooseProviderSource(
  env: NodeJS.ProcessEnv,
  defaultMirror: string = DEFAULT_PLUGIN_MIRROR,
): ProviderSource {
  const explicit = env[MIRROR_SETTING];
  if (explicit) {
    const dir = resolve(explicit);
    return { kind: "mirror", dir, from: MIRROR_SETTING, packages: checkMirror(dir) };
  }
  if (isDir(defaultMirror)) {
    const dir = resolve(defaultMirror);
    return { kind: "mirror", dir, from: "default", packages: checkMirror(dir) };
  }
  return { kind: "registry" };
}

/** One line for the log: where the provider comes from. */
export function describeSource(source: ProviderSource, host: string): string {
  return source.kind === "mirror"
    ? `provider source: filesystem mirror ${source.dir} (${source.from === "default" ? `default; ${MIRROR_SETTING} unset` : MIRROR_SETTING})`
    : `provider source: registry ${host} (no ${MIRROR_SETTING}, no ${DEFAULT_PLUGIN_MIRROR})`;
}

/**
 * The CLI configuration for a registry install: hashicorp/aws directly from the engine's registry (the
 * engine verifies the registry's signed checksums), into the plugin cache (TF_PLUGIN_CACHE_DIR).
 */
export function registryCliConfig(host: string): string {
  return [
    "# Written by lib/engine: no filesystem mirror is configured; hashicorp/aws comes from the registry.",
    "disable_checkpoint = true",
    "provider_installation {",
    "  direct {",
    `    include = [${JSON.stringify(`${host}/${PROVIDER.namespace}/${PROVIDER.type}`)}]`,
    "  }",
    "}",
    "",
  ].join("\n");
}

/**
 * The one line for a registry install that failed: there is no mirror to fall back to, so the message
 * names both ways out, then the engine's first error line (e.g. a DNS or TLS failure).
 */
export function registryInstallError(host: string, engineStderr: string): string {
  // The engine's diagnostic: "Error: <summary>", a blank line, then the detail paragraph (box-drawn).
  const lines = engineStderr.split("\n").map((l) => l.replace(/^[│╷╵]\s?/, "").trim());
  const start = lines.findIndex((l) => /^Error:/.test(l));
  let detail = start >= 0 ? lines[start] : (lines.find(Boolean) ?? "");
  if (start >= 0) {
    const from = lines.findIndex((l, i) => i > start && l !== "");
    const to = lines.findIndex((l, i) => i > from && l === "");
    if (from > 0) detail += ` ${lines.slice(from, to < 0 ? undefined : to).join(" ")}`;
  }
  return `provider install failed: no filesystem mirror is configured (${MIRROR_SETTING} unset, ${DEFAULT_PLUGIN_MIRROR} absent) and the registry ${host} did not serve hashicorp/aws; set ${MIRROR_SETTING} to a mirror or allow access to ${host}${detail ? ` (${detail})` : ""}`;
}
