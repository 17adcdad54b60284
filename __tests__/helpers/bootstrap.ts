import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadBootstrap, type BootstrapConfig } from "../../config";
import type { BootstrapStack } from "../../stacks/bootstrap-stack";
import { environments } from "./synth";
import { readCachedEntry, SYNTH_DIR_ENV } from "./synth-cache";

type Block = Record<string, unknown>;
export interface BootstrapJson {
  resource: Record<string, Record<string, Block>>;
  output: Record<string, { value: string }>;
  terraform: Record<string, unknown>;
}

let cached: { config: BootstrapConfig; json: BootstrapJson } | undefined;

/** The name of the bootstrap's entry in the run's synth cache (synth-cache.ts): no stack id ends in ".bootstrap". */
export const BOOTSTRAP_CACHE_ENTRY = "account.bootstrap";

/**
 * The bootstrap stack of the committed config's first account, synthesized here. cdktf and the stack load
 * only here, so a test file reading the run's cache never pays for them.
 */
export function synthBootstrapInProcess(): BootstrapJson {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the cache cannot serve */
  const { Testing } = require("cdktf") as typeof import("cdktf");
  const { BootstrapStack: Stack } = require("../../stacks/bootstrap-stack") as {
    BootstrapStack: typeof BootstrapStack;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const config = loadBootstrap(environments());
  // Testing.app() would leave a cdktf.outdir.* behind (the global setup runs outside any test file).
  const outdir = mkdtempSync(join(tmpdir(), "synth-bootstrap-"));
  try {
    const stack = new Stack(
      Testing.app({ outdir }),
      Stack.idFor(config.accounts[0].accountId, config.accounts.length),
      { bootstrap: config, account: config.accounts[0] },
    );
    return JSON.parse(JSON.stringify(stack.toTerraform())) as BootstrapJson;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The committed bootstrap config and the synthesized JSON of its (first) account's stack: from the run's
 * synth cache when jest's global setup made one, else synthesized here.
 */
export function synthBootstrap(): { config: BootstrapConfig; json: BootstrapJson } {
  if (cached) return cached;
  const config = loadBootstrap(environments());
  const dir = process.env[SYNTH_DIR_ENV];
  cached = {
    config,
    json: dir ? (readCachedEntry(dir, BOOTSTRAP_CACHE_ENTRY) as BootstrapJson) : synthBootstrapInProcess(),
  };
  return cached;
}

/** The policy documents attached to the role named `roleName`, read through the synthesized attachments. */
export function attachedPolicies(json: BootstrapJson, roleName: string): unknown[] {
  const roles = json.resource.aws_iam_role ?? {};
  const roleId = Object.keys(roles).find((id) => roles[id].name === roleName);
  if (!roleId) throw new Error(`no role ${roleName}`);
  const policies = json.resource.aws_iam_policy ?? {};
  return Object.values(json.resource.aws_iam_role_policy_attachment ?? {})
    .filter((a) => a.role === `\${aws_iam_role.${roleId}.name}`)
    .map((a) => {
      const match = /^\$\{aws_iam_policy\.(.+)\.arn\}$/.exec(String(a.policy_arn));
      if (!match) throw new Error(`attachment of ${roleName} to ${String(a.policy_arn)}`);
      return JSON.parse(String(policies[match[1]].policy)) as unknown;
    });
}

/** A managed policy's document, by name. */
export function policyNamed(json: BootstrapJson, name: string): unknown {
  const found = Object.values(json.resource.aws_iam_policy ?? {}).find((p) => p.name === name);
  if (!found) throw new Error(`no policy ${name}`);
  return JSON.parse(String(found.policy)) as unknown;
}

export function roleNameOf(arn: string): string {
  return arn.slice(arn.indexOf(":role/") + ":role/".length);
}
