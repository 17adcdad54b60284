import { join } from "node:path";
import { formatChanges } from "../../lib/emulator/changes";
import { EmulatedAccount, runLifecycle, type LifecycleResult } from "../../lib/emulator/lifecycle";
import { quirkOf, realChanges, realChangesAfter } from "../../lib/emulator/quirks";
import { emulatorClientEnv } from "../../lib/emulator/server";
import { REPO_ROOT } from "../../lib/engine";
import { run as runCommand } from "../../lib/engine/engine";
import { EMULATED_RELEASE, describeWithEmulator, prepareRun, tierLog } from "./emulator";

export interface LifecycleStack {
  readonly stackId: string;
  /** Whether its data holds prevent_destroy (destroy must refuse) or the stack may go completely. */
  readonly protectedData: boolean;
  /** Whether the stack reads a release (release:check runs against the seeded one). */
  readonly release: boolean;
}

/** Results of each stack's lifecycle, run once for the file (in parallel), asserted by the tests. */
export function describeLifecycle(
  title: string,
  stacks: readonly LifecycleStack[],
): Map<string, LifecycleResult> {
  const results = new Map<string, LifecycleResult>();
  const releaseChecks = new Map<string, string>();

  describeWithEmulator(title, () => {
    // Every stack in its own emulator, at the same time: most of an apply is the provider waiting.
    beforeAll(async () => {
      const run = await prepareRun();
      await Promise.all(
        stacks.map(async ({ stackId, release }) => {
          const account = await EmulatedAccount.open(
            stackId,
            run.stackJson(stackId),
            run.setup,
            join(run.workDir, stackId),
            tierLog,
          );
          try {
            if (release) {
              // The command itself, as the deploy job runs it, pointed at the emulator by the SDK's own
              // AWS_ENDPOINT_URL and given fake keys (emulatorClientEnv).
              const check = await account.phase("release:check", () =>
                runCommand(
                  process.execPath,
                  [
                    "-r",
                    "./lib/transpile/register.cjs",
                    "scripts/release-check.ts",
                    stackId,
                    "--release",
                    EMULATED_RELEASE,
                  ],
                  { cwd: REPO_ROOT, env: emulatorClientEnv(account.emulator.endpoint) },
                ),
              );
              releaseChecks.set(stackId, `${check.code}: ${check.stdout.trim().split("\n")[0]}`);
            }
            results.set(stackId, await runLifecycle(account));
          } finally {
            await account.stop();
          }
        }),
      );
    });

    describe.each(stacks.map((s) => [s.stackId, s] as const))("%s", (stackId, stack) => {
      const result = () => {
        const found = results.get(stackId);
        if (!found) throw new Error(`${stackId}: the lifecycle did not run`);
        return found;
      };

      if (stack.release)
        test("release:check finds every object of the seeded test release", () => {
          expect(releaseChecks.get(stackId)).toMatch(/^0: release \S+ of \S+: all \d+ objects present$/);
        });

      test("applies from empty, adopting what exists out of band through import blocks", () => {
        const { apply, adopted, stateAfterApply } = result();
        expect(adopted.length).toBeGreaterThan(0);
        expect(apply.imported).toBe(adopted.length);
        // An adopted object is updated to the configuration (its tags, for example); nothing else changes.
        expect(apply.changed).toBeLessThanOrEqual(adopted.length);
        expect(apply.destroyed).toBe(0);
        expect(stateAfterApply).toBe(apply.added + apply.imported);
      });

      test("the refresh plan after the apply changes nothing but the listed emulator quirks", () => {
        const unexpected = realChanges(result().refresh.changes);
        if (unexpected.length > 0) throw new Error(`refresh plan changes:\n${formatChanges(unexpected)}`);
      });

      test("the second apply only re-sends the emulator quirks: nothing created, replaced or destroyed", () => {
        const { secondApply, refresh } = result();
        const quirkResources = new Set(refresh.changes.filter((c) => quirkOf(c)).map((c) => c.address));
        expect(secondApply).toMatchObject({ added: 0, destroyed: 0 });
        expect(secondApply.changed).toBe(quirkResources.size);
      });

      test("the drift check reports exactly the objects changed out of band", () => {
        const { drift, refresh } = result();
        expect(drift.made.length).toBeGreaterThan(0);
        // After the second apply re-sent the refresh plan's quirks (their side effects listed in quirks.ts).
        const real = realChangesAfter(drift.changes, refresh.changes);
        const reported = [...new Set(real.map((c) => c.address))].sort();
        if (JSON.stringify(reported) !== JSON.stringify([...drift.made].sort()))
          throw new Error(
            `made drift in ${drift.made.join(", ")}; the drift check reported:\n${formatChanges(real)}`,
          );
        const queue = real.filter((c) => c.address.startsWith("aws_sqs_queue."));
        expect(queue.map((c) => c.path)).toEqual(queue.length ? ["visibility_timeout_seconds"] : []);
        const policy = real.filter((c) => c.address.startsWith("aws_s3_bucket_policy."));
        expect(policy.map((c) => c.actions)).toEqual(["create"]);
      });

      if (stack.protectedData) {
        test("destroy refuses every protected resource and keeps the whole state", () => {
          const { destroy, protectedAddresses } = result();
          expect(protectedAddresses.length).toBeGreaterThan(0);
          expect(destroy.code).toBe(1);
          for (const address of protectedAddresses) expect(destroy.output).toContain(address);
          expect(destroy.stateAfter).toBe(destroy.stateBefore);
        });
      } else {
        test("destroy removes everything", () => {
          const { destroy } = result();
          if (destroy.code !== 0)
            throw new Error(`destroy exited ${destroy.code}:\n${destroy.output.slice(-3000)}`);
          expect(destroy.stateAfter).toBe(0);
        });
      }
    });
  });
  return results;
}
