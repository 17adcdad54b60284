import { UserError } from "../cli/cli";

/** A synthesized stack (cdk.tf.json), loosely typed: only the parts the preview rewrites are named. */
export type StackJson = Record<string, unknown> & {
  terraform?: Record<string, unknown> & { required_providers?: Record<string, unknown> };
  provider?: Record<string, unknown>;
  data?: Record<string, Record<string, unknown>>;
  locals?: Record<string, unknown>;
};

export interface WorkingCopy {
  /** The stack with a local backend, without the sops provider and data source, secrets read from a local. */
  readonly main: StackJson;
  /** Provider override file: fake credentials and offline switches for every aws provider configuration. */
  readonly override: Record<string, unknown>;
  /** The fake secret values, `{ <local name>: { <key>: "FAKE-TEST-VALUE-<key>" } }`, in their own file. */
  readonly fakeSecrets: { locals: Record<string, Record<string, string>> };
  /** Every secret key that was replaced, as `<data source>.<key>`. */
  readonly replacedKeys: readonly string[];
}

/** File names in the working directory. */
/** The working copies' backend: a fresh local state in the working copy. */
export const LOCAL_BACKEND = { local: { path: "terraform.tfstate" } };

export const FILES = {
  main: "cdk.tf.json",
  override: "zz_offline_override.tf.json",
  fakeSecrets: "offline_fake_secrets.tf.json",
} as const;

/** Fake, obviously so; never a credential. */
export const FAKE_ACCESS_KEY = "AKIAOFFLINEPREVIEW00";
export const FAKE_SECRET_KEY = "offline-preview-fake-secret-key-not-a-credential";

export function fakeSecretValue(key: string): string {
  return `FAKE-TEST-VALUE-${key}`;
}

export function fakeSecretsLocal(dataSourceName: string): string {
  return `offline_preview_sops_${dataSourceName.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

const SOPS_REFERENCE = /\bdata\.sops_file\.([A-Za-z_][\w-]*)\.data\["((?:[^"\\]|\\.)*)"\]/g;

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === "string") return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  return value;
}

/** Drops `data.sops_file.*` entries from every depends_on list (they named the removed data source). */
function dropSopsDependencies(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropSopsDependencies);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === "depends_on" && Array.isArray(v)
          ? v.filter((d) => !(typeof d === "string" && /^(\$\{)?data\.sops_file\./.test(d)))
          : dropSopsDependencies(v),
      ]),
    );
  }
  return value;
}

/**
 * Rewrites a synthesized stack for an offline plan. Exactly these changes, nothing else:
 * - `terraform.backend` becomes `{ local: { path: "terraform.tfstate" } }`;
 * - the sops provider, its required_providers entry and every `sops_file` data source are removed
 *   (and dropped from depends_on lists);
 * - each `data.sops_file.<name>.data["<key>"]` reference becomes `local.offline_preview_sops_<name>["<key>"]`,
 *   a local map of `"FAKE-TEST-VALUE-<key>"` strings written to its own file.
 * The provider override (fake keys, skip flags, no account id check) is a separate override file.
 */
export function prepareWorkingCopy(stackId: string, synthesized: StackJson): WorkingCopy {
  const main = structuredClone(synthesized);
  main.terraform = { ...(main.terraform ?? {}), backend: LOCAL_BACKEND };

  const requiredProviders = { ...(main.terraform.required_providers ?? {}) };
  const sopsNames = Object.entries(requiredProviders)
    .filter(
      ([, req]) =>
        typeof req === "object" &&
        req !== null &&
        /(^|\/)carlpett\/sops$/.test(String((req as { source?: unknown }).source)),
    )
    .map(([name]) => name);
  if (!sopsNames.includes("sops") && main.provider && "sops" in main.provider) sopsNames.push("sops");
  for (const name of sopsNames) delete requiredProviders[name];
  main.terraform.required_providers = requiredProviders;
  if (main.provider) {
    main.provider = Object.fromEntries(
      Object.entries(main.provider).filter(([name]) => !sopsNames.includes(name)),
    );
    if (Object.keys(main.provider).length === 0) delete main.provider;
  }
  const sopsSources = Object.keys(main.data?.sops_file ?? {});
  if (main.data) {
    delete main.data.sops_file;
    if (Object.keys(main.data).length === 0) delete main.data;
  }

  const fakeLocals: Record<string, Record<string, string>> = {};
  const replacedKeys = new Set<string>();
  const rewritten = mapStrings(dropSopsDependencies(main), (s) =>
    s.replace(SOPS_REFERENCE, (_match, source: string, key: string) => {
      const local = fakeSecretsLocal(source);
      fakeLocals[local] ??= {};
      fakeLocals[local][key] = fakeSecretValue(key);
      replacedKeys.add(`${source}.${key}`);
      return `local.${local}["${key}"]`;
    }),
  ) as StackJson;

  const leftover = /\bdata\.sops_file\.[^\s"]*/.exec(JSON.stringify(rewritten));
  if (leftover)
    throw new UserError(
      `${stackId}: unsupported sops reference ${leftover[0]} (only data.sops_file.<name>.data["<key>"] can be replaced offline)`,
    );
  const unused = sopsSources.filter((name) => !fakeLocals[fakeSecretsLocal(name)]);
  for (const name of unused) fakeLocals[fakeSecretsLocal(name)] = {};
  for (const local of Object.keys(fakeLocals)) {
    if (rewritten.locals && local in rewritten.locals)
      throw new UserError(
        `${stackId}: the stack already defines local.${local}; cannot add the fake secrets`,
      );
  }

  return {
    main: rewritten,
    override: providerOverride(rewritten),
    fakeSecrets: { locals: fakeLocals },
    replacedKeys: [...replacedKeys].sort(),
  };
}

/** Offline settings merged into every aws provider configuration (the default and each alias). */
export function providerOverride(stack: StackJson): Record<string, unknown> {
  const configs = stack.provider?.aws;
  const list = Array.isArray(configs) ? configs : configs ? [configs] : [{}];
  const aliases = list.map((c) =>
    c && typeof c === "object" ? (c as { alias?: unknown }).alias : undefined,
  );
  return {
    "//": "Written by lib/engine: fake credentials, no AWS calls. Never used to deploy.",
    provider: {
      aws: aliases.map((alias) => ({
        ...(typeof alias === "string" ? { alias } : {}),
        access_key: FAKE_ACCESS_KEY,
        secret_key: FAKE_SECRET_KEY,
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        // Without the account id (not requested offline) an allow-list check would always fail.
        allowed_account_ids: null,
        forbidden_account_ids: null,
      })),
    },
  };
}
