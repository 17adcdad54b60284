import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DeleteObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { loadEnvironments } from "../../config";
import { REPO_ROOT } from "../../lib/engine";
import type { StackJson } from "../../lib/engine/working-copy";
import { s3Client } from "../../lib/emulator/seed";
import { startEmulator, type Emulator } from "../../lib/emulator/server";
import { setupEngine, stateIds, type StateFile } from "../../lib/emulator/workspace";
import type { PlanJson } from "../../lib/plan/plan-json";
import { isStatefulType } from "../../lib/plan/stateful";
import { legacyInstances, readLegacyState } from "../../lib/rehearse/legacy-state";
import { rehearse, type RehearsalResult } from "../../lib/rehearse/rehearse";
import { forgottenStillExist } from "../../lib/rehearse/still-exists";
import { ADOPTION_TABLES } from "../../stacks/adoption/tables";
import { SHARED_INSTALL_ROOT } from "../helpers/engine";
import { describeWithEmulator, tierLog } from "./emulator";

/**
 * The adoption rehearsed on a real state: for every environment in config with an adoption table, its
 * legacy state fixture is created in an emulated account of its own (moto, on loopback), then adopted as
 * the README's runbook does it (lib/rehearse). The environments run in parallel, one emulator each.
 */

const FIXTURES = join(REPO_ROOT, "__tests__", "fixtures", "legacy-state");
const adopted = Object.values(loadEnvironments()).filter((c) => ADOPTION_TABLES[c.environment]);

interface Run {
  readonly result: RehearsalResult;
  readonly emulator: Emulator;
}

describeWithEmulator("the adoption rehearsed against an emulated account", () => {
  const runs = new Map<string, Run>();
  const emulators: Emulator[] = [];
  let workDir: string;

  beforeAll(async () => {
    mkdirSync(join(REPO_ROOT, ".preview"), { recursive: true });
    workDir = mkdtempSync(join(REPO_ROOT, ".preview", "jest-rehearse-"));
    await Promise.all(
      adopted.map(async (config) => {
        const emulator = await startEmulator();
        emulators.push(emulator);
        const result = await rehearse({
          stack: config.stack,
          legacy: readLegacyState(join(FIXTURES, `${config.environment}.tfstate.json`)),
          workDir: join(workDir, config.environment),
          installRoot: SHARED_INSTALL_ROOT,
          emulator,
          log: (line) => tierLog(`rehearse ${config.environment}: ${line}`),
        });
        runs.set(config.environment, { result, emulator });
      }),
    );
  }, 600_000);

  afterAll(async () => {
    await Promise.all(emulators.map((e) => e.stop()));
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const names = adopted.map((c) => c.environment);
  const run = (env: string) => runs.get(env)!;
  const plan = (env: string) => JSON.parse(readFileSync(run(env).result.files.plan, "utf8")) as PlanJson;
  const materialized = (env: string) =>
    JSON.parse(readFileSync(run(env).result.files.materialized, "utf8")) as StateFile;
  const final = (env: string) => JSON.parse(readFileSync(run(env).result.files.state, "utf8")) as StateFile;

  test("every adopted environment has a legacy state fixture", () => {
    for (const env of names) expect(existsSync(join(FIXTURES, `${env}.tfstate.json`))).toBe(true);
  });

  test.each(names)("%s: the rehearsal passes with every runbook phase", (env) => {
    const { result } = run(env);
    expect(result.problems).toEqual([]);
    expect(result.phases.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        "materialize",
        "plan (refresh on)",
        "plan:check",
        "apply saved plan",
        "refresh plan",
        "verify",
      ]),
    );
    expect(result.ok).toBe(true);
  });

  test.each(names)("%s: every AWS instance of the legacy state became a real object with a new id", (env) => {
    const legacy = readLegacyState(join(FIXTURES, `${env}.tfstate.json`));
    const ids = stateIds(materialized(env));
    const aws = legacyInstances(legacy).filter((i) => i.provider === "hashicorp/aws");
    const setAside = run(env).result.notes.filter((n) => n.startsWith("set aside: aws_")).length;
    expect(ids.size).toBe(legacyInstances(legacy).length - setAside);
    // The REST API's id is generated: a real one from the emulator, not the fixture's.
    const api = aws.find((i) => i.type === "aws_api_gateway_rest_api")!;
    expect(ids.get(api.address)).toMatch(/^[a-z0-9]{10}$/);
    expect(ids.get(api.address)).not.toBe(api.attributes.id);
  });

  test.each(names)(
    "%s: no stateful resource is deleted or replaced, and the kept ids are the legacy objects'",
    (env) => {
      const before = stateIds(materialized(env));
      const after = stateIds(final(env));
      for (const change of plan(env).resource_changes ?? []) {
        const actions = change.change.actions.join(",");
        if (isStatefulType(change.type))
          expect([change.address, actions]).not.toEqual([change.address, expect.stringMatching(/delete/)]);
      }
      const moved = (plan(env).resource_changes ?? []).filter((c) => c.previous_address);
      const mustKeep = moved.filter((c) =>
        [
          "aws_api_gateway_rest_api",
          "aws_api_gateway_api_key",
          "aws_cloudfront_distribution",
          "aws_dsql_cluster",
          "aws_dynamodb_table",
          "aws_s3_bucket",
          "aws_sqs_queue",
        ].includes(c.type),
      );
      // REST API, API key, both distributions, cluster, table, bucket, four queues.
      expect(mustKeep.length).toBeGreaterThanOrEqual(11);
      for (const c of mustKeep)
        expect([c.address, after.get(c.address)]).toEqual([c.address, before.get(c.previous_address!)]);
    },
  );

  test.each(names)(
    "%s: the forgotten objects are forgotten by the plan and still exist (S3 read, independent of the engine)",
    async (env) => {
      const forgotten = (plan(env).resource_changes ?? [])
        .filter((c) => c.change.actions.includes("forget"))
        .map((c) => c.address);
      const table = ADOPTION_TABLES[env].forget;
      expect(forgotten.sort()).toEqual(
        Object.keys(table)
          .filter((a) => a.startsWith("aws_") && !a.startsWith("aws_cloudfront_response"))
          .sort(),
      );
      const object = legacyInstances(readLegacyState(join(FIXTURES, `${env}.tfstate.json`))).find(
        (i) => i.type === "aws_s3_object",
      )!;
      const client = s3Client(run(env).emulator.endpoint, "us-west-2");
      try {
        const head = await client.send(
          new HeadObjectCommand({
            Bucket: String(object.attributes.bucket),
            Key: String(object.attributes.key),
          }),
        );
        expect(head.ContentLength).toBeGreaterThan(0);
      } finally {
        client.destroy();
      }
    },
  );

  test("the forgotten-object check reports an object deleted out of band", async () => {
    const env = names[0];
    const { emulator, result } = run(env);
    const stack = JSON.parse(readFileSync(join(workDir, env, "adopt", "cdk.tf.json"), "utf8")) as StackJson;
    const state = JSON.parse(readFileSync(result.files.materialized, "utf8"));
    const object = legacyInstances(state).find((i) => i.type === "aws_s3_object")!;
    const client = s3Client(emulator.endpoint, "us-west-2");
    try {
      await client.send(
        new DeleteObjectCommand({
          Bucket: String(object.attributes.bucket),
          Key: String(object.attributes.key),
        }),
      );
    } finally {
      client.destroy();
    }
    const setup = await setupEngine(workDir, { installRoot: SHARED_INSTALL_ROOT });
    const gone = await forgottenStillExist(state, [object.address, "aws_api_gateway_account.Main"], {
      stack,
      endpoint: emulator.endpoint,
      setup,
      dir: join(workDir, "deleted-check"),
    });
    expect(gone).toEqual([object.address]);
  });
});
