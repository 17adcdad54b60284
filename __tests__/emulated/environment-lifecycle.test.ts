import type { PhaseCalls } from "../../lib/emulator/calls";
import type { Phase } from "../../lib/emulator/lifecycle";
import { testEnvironments } from "../helpers/environments";
import { describeWithEmulator } from "./emulator";
import {
  evaluatedRequests,
  findings,
  formatFindings,
  isWrite,
  phaseCalls,
  role,
  sharedByDesign,
} from "./identities";
import { describeLifecycle } from "./lifecycle";

const environments = testEnvironments();

const results = describeLifecycle(
  "every environment stack in config, applied in an emulated account",
  environments.map((e) => ({
    stackId: e.stackId,
    protectedData: e.config.deletionProtection,
    release: true,
  })),
);

/**
 * The identities, proven by the calls a real apply makes: every request of apply, refresh plan and destroy,
 * named and mapped to its IAM request (lib/emulator/calls.ts), evaluated against the synthesized bootstrap
 * policies with the project's simulator (@cloud-copilot/iam-simulate; AWS's own evaluation is not
 * available offline).
 */
describeWithEmulator("the bootstrap's roles, against the calls each environment's lifecycle made", () => {
  const calls = new Map<string, Record<Phase, PhaseCalls>>();
  const callsOf = (stackId: string) => {
    if (!calls.has(stackId)) {
      const result = results.get(stackId);
      if (!result) throw new Error(`${stackId}: the lifecycle did not run`);
      calls.set(stackId, phaseCalls(result.callsFiles, role("deploy", environmentOf(stackId)).account));
    }
    return calls.get(stackId)!;
  };
  const environmentOf = (stackId: string) => environments.find((e) => e.stackId === stackId)!.name;
  const evaluated = (stackId: string, phases: readonly Phase[]) =>
    evaluatedRequests(callsOf(stackId), phases, results.get(stackId)!.appliedState);

  describe.each(environments.map((e) => [e.stackId, e.name] as const))("%s", (stackId, environment) => {
    test("every request of apply, refresh and destroy is named", () => {
      const phases = callsOf(stackId);
      for (const phase of Object.values(phases)) {
        expect(phase.unnamed).toEqual([]);
        expect(phase.requests).toBeGreaterThan(0);
      }
    });

    test("the environment's deploy role is allowed every call", async () => {
      const { requests, gaps } = await evaluated(stackId, ["apply", "refresh", "destroy"]);
      const denied = await findings(role("deploy", environment), requests, (d) => d === "Allowed");
      if (denied.length > 0)
        throw new Error(`denied to ${environment}'s deploy role:\n${formatFindings(denied)}`);
      // What the simulator cannot evaluate (the reference lists no resource type for API Gateway's POST on
      // these paths) is only ever that.
      for (const gap of gaps) expect(gap.action).toBe("apigateway:POST");
    });

    test("every other environment's deploy role is denied every call on this environment's resources", async () => {
      const { requests } = await evaluated(stackId, ["apply", "refresh", "destroy"]);
      const scoped = requests.filter((r) => r.resource !== "*" && !sharedByDesign(r));
      expect(scoped.length).toBeGreaterThan(0);
      for (const other of environments.filter((e) => e.name !== environment)) {
        const allowed = await findings(role("deploy", other.name), scoped, (d) => d !== "Allowed");
        if (allowed.length > 0)
          throw new Error(
            `${other.name}'s deploy role may act on ${environment}'s resources:\n${formatFindings(allowed)}`,
          );
      }
    });

    test("the environment's plan role is allowed every call of the refresh plan and denied every write", async () => {
      const plan = role("plan", environment);
      const refresh = (await evaluated(stackId, ["refresh"])).requests;
      const denied = await findings(plan, refresh, (d) => d === "Allowed");
      if (denied.length > 0)
        throw new Error(`the refresh plan denied to ${plan.name}:\n${formatFindings(denied)}`);
      const writes: typeof refresh = [];
      for (const r of (await evaluated(stackId, ["apply", "destroy"])).requests)
        if (await isWrite(r.action)) writes.push(r);
      expect(writes.length).toBeGreaterThan(0);
      const allowed = await findings(plan, writes, (d) => d !== "Allowed");
      if (allowed.length > 0) throw new Error(`writes allowed to ${plan.name}:\n${formatFindings(allowed)}`);
    });
  });
});
