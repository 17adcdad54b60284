import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  ListObjectVersionsCommand,
} from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand, SQSClient, SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { StackJson } from "../engine/working-copy";
import type { PlanJson } from "../engine/summary";
import { attributeChanges, type AttributeChange } from "./changes";
import { lambdaWithoutDocker, s3Client, seedLayers, seedRelease } from "./seed";
import { createOutOfBand, importBlocks, outOfBandObjects, type OutOfBand } from "./out-of-band";
import { EMULATOR_CREDENTIALS, recording, resetRecording, startEmulator, type Emulator } from "./server";
import { EmulatedStack, type EngineSetup, type StateFile } from "./workspace";

export type Phase = "apply" | "refresh" | "destroy";

/** One stack in its own emulated account: the emulator, the seeded release, the working directory. */
export class EmulatedAccount {
  private constructor(
    readonly emulator: Emulator,
    readonly stack: EmulatedStack,
    private readonly workDir: string,
    readonly log: (line: string) => void,
  ) {}

  /**
   * Starts an emulator (recording), seeds what AWS has and moto lacks (the layers the functions name,
   * Lambda without Docker, the release's objects) and writes the stack's working directory.
   */
  static async open(
    stackId: string,
    synthesized: StackJson,
    setup: EngineSetup,
    workDir: string,
    log: (line: string) => void = () => {},
  ): Promise<EmulatedAccount> {
    mkdirSync(workDir, { recursive: true });
    const emulator = await startEmulator({ recorderFile: join(workDir, "recorder.jsonl") });
    try {
      await seedLayers(emulator.endpoint, synthesized);
      await lambdaWithoutDocker(emulator.endpoint);
      await seedRelease(emulator.endpoint, synthesized);
      const stack = new EmulatedStack(stackId, join(workDir, stackId), synthesized, emulator.endpoint, setup);
      log(`${stackId}: emulator ${emulator.endpoint} (pid ${emulator.pid}), release seeded`);
      return new EmulatedAccount(emulator, stack, workDir, log);
    } catch (error) {
      await emulator.stop();
      throw error;
    }
  }

  /** Runs `step` with the emulator recording every request; the requests go to `<workDir>/calls-<phase>.jsonl`. */
  async recorded<T>(phase: Phase, step: () => Promise<T>): Promise<T> {
    await resetRecording(this.emulator.endpoint);
    await recording(this.emulator.endpoint, true);
    try {
      return await step();
    } finally {
      await recording(this.emulator.endpoint, false);
      copyFileSync(this.emulator.recorderFile!, this.callsFile(phase));
    }
  }

  callsFile(phase: Phase): string {
    return join(this.workDir, `calls-${phase}.jsonl`);
  }

  /** Times a phase and logs one line for it. */
  async phase<T>(name: string, step: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await step();
    } finally {
      this.log(`${this.stack.stack}: ${name} ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }

  async stop(): Promise<void> {
    await this.emulator.stop();
  }
}

export interface ApplyCounts {
  readonly imported: number;
  readonly added: number;
  readonly changed: number;
  readonly destroyed: number;
}

/** The counts of `Apply complete! Resources: [N imported, ]N added, N changed, N destroyed.` */
export function applyCounts(output: string): ApplyCounts | undefined {
  const m =
    /Apply complete! Resources: (?:(\d+) imported, )?(\d+) added, (\d+) changed, (\d+) destroyed/.exec(
      output,
    );
  return m
    ? { imported: Number(m[1] ?? 0), added: Number(m[2]), changed: Number(m[3]), destroyed: Number(m[4]) }
    : undefined;
}

export interface LifecycleResult {
  readonly stack: string;
  /** Resources in the synthesized stack (`count = 0` overrides excluded). */
  readonly apply: ApplyCounts;
  readonly adopted: readonly OutOfBand[];
  readonly stateAfterApply: number;
  /** The state after the second apply, before drift and destroy: what the resources carry (tags, boundaries). */
  readonly appliedState: StateFile;
  readonly refresh: { readonly changes: readonly AttributeChange[]; readonly exitCode: 0 | 2 };
  readonly secondApply: ApplyCounts;
  readonly drift: {
    readonly made: readonly string[];
    readonly changes: readonly AttributeChange[];
  };
  readonly destroy: {
    readonly code: number;
    readonly output: string;
    readonly stateBefore: number;
    readonly stateAfter: number;
  };
  readonly protectedAddresses: readonly string[];
  readonly callsFiles: Readonly<Record<Phase, string>>;
}

/** Addresses of every resource with `lifecycle.prevent_destroy` in a working copy. */
export function protectedAddresses(stack: StackJson): string[] {
  const resources = (stack.resource ?? {}) as Record<
    string,
    Record<string, { lifecycle?: { prevent_destroy?: boolean } }>
  >;
  return Object.entries(resources).flatMap(([type, byName]) =>
    Object.entries(byName)
      .filter(([, r]) => r.lifecycle?.prevent_destroy === true)
      .map(([name]) => `${type}.${name}`),
  );
}

const count = (state: StateFile | undefined) =>
  (state?.resources ?? []).filter((r) => r.mode === "managed").reduce((n, r) => n + r.instances.length, 0);

/**
 * Changes two objects out of band the way an operator's console click would: a queue's visibility
 * timeout (its policy sent back unchanged: moto's SetQueueAttributes drops a policy it is not given)
 * and a deleted bucket policy. Returns the addresses whose drift a refresh plan must report.
 */
export async function makeDrift(account: EmulatedAccount): Promise<string[]> {
  const state = account.stack.state();
  const first = (type: string) =>
    state?.resources?.find((r) => r.mode === "managed" && r.type === type && r.instances.length === 1);
  const made: string[] = [];
  const queue = first("aws_sqs_queue");
  const region = "us-west-2";
  if (queue) {
    const url = String(queue.instances[0].attributes?.url ?? queue.instances[0].attributes?.id);
    const queueRegion =
      /sqs\.([a-z0-9-]+)\./.exec(url)?.[1] ??
      /:sqs:([a-z0-9-]+):/.exec(String(queue.instances[0].attributes?.arn))?.[1] ??
      region;
    const sqs = new SQSClient({
      endpoint: account.emulator.endpoint,
      region: queueRegion,
      credentials: EMULATOR_CREDENTIALS,
    });
    try {
      const current = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }),
      );
      const timeout = Number(current.Attributes?.VisibilityTimeout ?? 30);
      await sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: url,
          Attributes: {
            VisibilityTimeout: String(timeout + 7),
            ...(current.Attributes?.Policy ? { Policy: current.Attributes.Policy } : {}),
          },
        }),
      );
    } finally {
      sqs.destroy();
    }
    made.push(`aws_sqs_queue.${queue.name}`);
  }
  const policy = first("aws_s3_bucket_policy");
  if (policy) {
    const bucket = String(policy.instances[0].attributes?.bucket ?? policy.instances[0].attributes?.id);
    const s3 = s3Client(account.emulator.endpoint, region);
    try {
      await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    } finally {
      s3.destroy();
    }
    made.push(`aws_s3_bucket_policy.${policy.name}`);
  }
  return made;
}

const IMPORTS_FILE = "zz_emulator_imports.tf.json";

/**
 * Empties every bucket the stack lets a destroy empty (`force_destroy`), one object version at a time.
 * moto 5.2.1 answers the Go SDK's DeleteObjects with a 500 for some versioned buckets (about one staging
 * destroy in three; boto3's same request on the same objects succeeds; README gap table), so the
 * provider's own emptying cannot be relied on here. AWS empties them with DeleteObjects.
 */
export async function emptyForceDestroyBuckets(account: EmulatedAccount): Promise<number> {
  let deleted = 0;
  for (const resource of account.stack.state()?.resources ?? []) {
    if (resource.mode !== "managed" || resource.type !== "aws_s3_bucket") continue;
    for (const { attributes: a } of resource.instances) {
      if (a?.force_destroy !== true) continue;
      const s3 = s3Client(account.emulator.endpoint, String(a.region ?? "us-west-2"));
      try {
        const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: String(a.bucket) }));
        for (const v of [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]) {
          await s3.send(
            new DeleteObjectCommand({ Bucket: String(a.bucket), Key: v.Key, VersionId: v.VersionId }),
          );
          deleted++;
        }
      } finally {
        s3.destroy();
      }
    }
  }
  return deleted;
}

/**
 * The whole lifecycle of one stack in its emulated account: apply from empty (adopting what exists out
 * of band through import blocks, see out-of-band.ts), a refresh plan, a second apply of that plan,
 * drift made out of band and the drift check's plan, then destroy. Each phase is timed and logged.
 */
export async function runLifecycle(account: EmulatedAccount): Promise<LifecycleResult> {
  const ws = account.stack;
  const adopted = outOfBandObjects(ws.main);
  await createOutOfBand(account.emulator.endpoint, adopted);
  ws.writeFile(IMPORTS_FILE, importBlocks(adopted));
  const applied = await account.phase("apply", () => account.recorded("apply", () => ws.apply()));
  ws.removeFile(IMPORTS_FILE);
  const apply = applyCounts(applied.stdout);
  if (!apply) throw new Error(`${ws.stack}: apply printed no summary:\n${applied.stdout.slice(-2000)}`);
  const stateAfterApply = count(ws.state());

  const refreshed = await account.phase("refresh plan", () => account.recorded("refresh", () => ws.plan()));
  const second = await account.phase("second apply", () => ws.apply(["tfplan"]));
  const secondApply = applyCounts(second.stdout) ?? { imported: 0, added: 0, changed: 0, destroyed: 0 };
  const appliedState = ws.state() ?? {};

  const made = await makeDrift(account);
  const drifted = await account.phase("drift check", () => ws.plan([], "drift.tfplan"));

  const stateBefore = count(ws.state());
  await emptyForceDestroyBuckets(account);
  const destroyed = await account.phase("destroy", () =>
    account.recorded("destroy", () =>
      ws.engine(["destroy", "-auto-approve", "-input=false", "-lock=false"], [0, 1]),
    ),
  );
  return {
    stack: ws.stack,
    apply,
    adopted,
    stateAfterApply,
    appliedState,
    refresh: { changes: attributeChanges(refreshed.json as PlanJson), exitCode: refreshed.changes ? 2 : 0 },
    secondApply,
    drift: { made, changes: attributeChanges(drifted.json as PlanJson) },
    destroy: {
      code: destroyed.code,
      output: destroyed.stderr + destroyed.stdout,
      stateBefore,
      stateAfter: count(ws.state()),
    },
    protectedAddresses: protectedAddresses(ws.main),
    callsFiles: {
      apply: account.callsFile("apply"),
      refresh: account.callsFile("refresh"),
      destroy: account.callsFile("destroy"),
    },
  };
}
