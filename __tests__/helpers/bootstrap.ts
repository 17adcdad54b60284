import { Testing } from "cdktf";
import { loadBootstrap, type BootstrapConfig } from "../../config";
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { environments } from "./synth";

type Block = Record<string, unknown>;
export interface BootstrapJson {
  resource: Record<string, Record<string, Block>>;
  output: Record<string, { value: string }>;
  terraform: Record<string, unknown>;
}

let cached: { config: BootstrapConfig; json: BootstrapJson } | undefined;

/** The committed bootstrap config and the synthesized JSON of its (first) account's stack. */
export function synthBootstrap(): { config: BootstrapConfig; json: BootstrapJson } {
  if (cached) return cached;
  const envs = environments();
  const config = loadBootstrap(envs);
  const app = Testing.app();
  const stack = new BootstrapStack(
    app,
    BootstrapStack.idFor(config.accounts[0].accountId, config.accounts.length),
    {
      bootstrap: config,
      account: config.accounts[0],
    },
  );
  cached = { config, json: JSON.parse(JSON.stringify(stack.toTerraform())) as BootstrapJson };
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
