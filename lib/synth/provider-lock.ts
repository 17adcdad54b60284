import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { UserError } from "../cli/cli";

/**
 * The committed provider lock file, one for every stack: `.terraform.lock.hcl` at the repository root,
 * written by `tofu providers lock` (.github/README.md, "Provider lock file"). Its addresses are OpenTofu's
 * (`registry.opentofu.org/...`): CI plans and applies with OpenTofu and runs `init -lockfile=readonly`.
 *
 * The synth gives each stack's directory the blocks of the providers that stack requires, no more: with
 * a read-only lock file an engine refuses a lock that names a provider the configuration does not
 * require, as it refuses one that lacks a required provider ("Provider dependency changes detected",
 * Terraform 1.11.4 and OpenTofu `init -lockfile=readonly`, checked here with Terraform).
 */
export const PROVIDER_LOCK_FILE = resolve(__dirname, "..", "..", ".terraform.lock.hcl");

export const LOCK_FILE_NAME = ".terraform.lock.hcl";

/** The engines' own header of a lock file. */
const HEADER =
  '# This file is maintained automatically by "tofu init".\n# Manual edits may be lost in future updates.\n';

export interface LockBlock {
  /** `<host>/<namespace>/<type>` as written in the file. */
  readonly address: string;
  /** The block's text, `provider "..." {` to its closing brace. */
  readonly text: string;
}

/** The provider blocks of a lock file, in file order. */
export function lockBlocks(text: string): LockBlock[] {
  return [...text.matchAll(/^provider "([^"]+)" \{\n[\s\S]*?^\}$/gm)].map((m) => ({
    address: m[1],
    text: m[0],
  }));
}

/** `namespace/type`, lower case, of a provider address or source, with or without its host. */
export function providerName(address: string): string {
  const parts = address.toLowerCase().split("/");
  return parts.slice(-2).join("/");
}

/** The `namespace/type` of every provider a synthesized stack requires (terraform.required_providers). */
export function requiredProviders(stackJson: {
  terraform?: { required_providers?: Record<string, unknown> };
}): string[] {
  return Object.entries(stackJson.terraform?.required_providers ?? {})
    .map(([local, spec]) => {
      const source = (spec as { source?: unknown }).source;
      return providerName(typeof source === "string" ? source : `hashicorp/${local}`);
    })
    .sort();
}

/** The lock file for a stack requiring `providers`: the committed blocks for those providers. */
export function lockFileFor(lockText: string, providers: readonly string[]): string {
  const blocks = lockBlocks(lockText).filter((b) => providers.includes(providerName(b.address)));
  return `${HEADER}${blocks.map((b) => `\n${b.text}\n`).join("")}`;
}

/** Reads the committed lock file; one line when it is missing. */
export function readProviderLock(file: string = PROVIDER_LOCK_FILE): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new UserError(
      `${file} is missing: the provider lock file every stack is synthesized with (see .github/README.md, "Provider lock file")`,
    );
  }
}

/** Writes a synthesized stack directory's lock file from the committed one. */
export function writeStackLock(stackDir: string, lockText: string): void {
  const stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as Parameters<
    typeof requiredProviders
  >[0];
  writeFileSync(join(stackDir, LOCK_FILE_NAME), lockFileFor(lockText, requiredProviders(stack)));
}

/**
 * The providers a synthesized stack directory requires that its lock file does not lock: what
 * `init -lockfile=readonly` would refuse with "Provider dependency changes detected", named up front.
 */
export function unlockedProviders(stackDir: string): string[] {
  const stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as Parameters<
    typeof requiredProviders
  >[0];
  let lockText = "";
  try {
    lockText = readFileSync(join(stackDir, LOCK_FILE_NAME), "utf8");
  } catch {
    // No lock file: every provider is unlocked.
  }
  const locked = lockBlocks(lockText).map((b) => providerName(b.address));
  return requiredProviders(stack).filter((p) => !locked.includes(p));
}
