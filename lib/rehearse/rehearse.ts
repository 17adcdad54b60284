import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadEnvironments } from "../../config";
import { ADOPTION_TABLES } from "../../stacks/adoption/tables";
import { UserError } from "../cli/cli";
import { synthesizeForPreview } from "../engine";
import type { StackJson } from "../engine/working-copy";
import { attributeChanges, formatChanges } from "../emulator/changes";
import { TAG_UPDATE_GAPS, quirkOf, tagGapOverride } from "../emulator/quirks";
import { lambdaWithoutDocker, seedLayers, seedRelease } from "../emulator/seed";
import { startEmulator, type Emulator } from "../emulator/server";
import { EmulatedStack, setupEngine, stateIds, type EngineSetup } from "../emulator/workspace";
import { checkPlan } from "../plan/check";
import { assertPlanOfStack } from "../plan/stack-identity";
import type { PlanJson } from "../plan/plan-json";
import { isStatefulType } from "../plan/stateful";
import { instanceAddress, legacyInstances, type LegacyStateFile } from "./legacy-state";
import { applyMaterialization, awsSchemas, writeMaterialization, type Materialized } from "./materialize";
import { forgottenStillExist } from "./still-exists";

/** Beside the emulator's override in the adoption's working directory. */
const TAG_GAP_OVERRIDE_FILE = "zz_rehearsal_tag_gaps_override.tf.json";

/** The release the rehearsal's synth names and seeds (never a real one). */
export const REHEARSAL_RELEASE = "emulated-rehearsal";

/**
 * Types whose id the adoption must keep: what a user or another system holds on to (the iOS app's API key
 * and its value, the API's and the distributions' domains) and every type that holds data
 * (lib/plan/stateful.ts). A move of one of these must be planned without replacement.
 */
const KEEPS_ID: readonly string[] = [
  "aws_api_gateway_rest_api",
  "aws_api_gateway_api_key",
  "aws_cloudfront_distribution",
];
const keepsId = (type: string) => KEEPS_ID.includes(type) || isStatefulType(type);

export interface Phase {
  readonly name: string;
  readonly seconds: number;
  readonly detail: string;
}

export interface RehearsalResult {
  readonly stack: string;
  readonly environment: string;
  readonly phases: readonly Phase[];
  /** What makes the rehearsal fail, one line each. */
  readonly problems: readonly string[];
  /** What the operator should know (set-aside instances, stand-ins, emulator quirks), one line each. */
  readonly notes: readonly string[];
  readonly ok: boolean;
  /** Attribute changes of the last refresh plan that are listed emulator quirks (lib/emulator/quirks.ts). */
  readonly quirks: number;
  /** Files left for the operator: the materialized state, the adoption plan (show -json), the final state. */
  readonly files: Readonly<Record<string, string>>;
}

export interface RehearsalOptions {
  readonly stack: string;
  readonly legacy: LegacyStateFile;
  /** Where everything is written (synth, working directories, plans); the caller removes it. */
  readonly workDir: string;
  /** Progress: one line per phase as it ends. */
  readonly log?: (line: string) => void;
  /** Shared provider install root. @default <workDir>/.provider-install */
  readonly installRoot?: string;
  /** An emulator already started (tests); otherwise the rehearsal starts and stops its own. */
  readonly emulator?: Emulator;
}

/** The environment a stack id builds, from config; an unknown id is one user error naming the known ones. */
export function environmentOfStack(stack: string): string {
  const environments = loadEnvironments() as Record<string, { stack: string; environment: string }>;
  const found = Object.values(environments).find((c) => c.stack === stack);
  if (!found)
    throw new UserError(
      `unknown stack '${stack}' (expected one of ${Object.values(environments)
        .map((c) => c.stack)
        .join(", ")})`,
    );
  if (!ADOPTION_TABLES[found.environment])
    throw new UserError(
      `stack '${stack}' (environment ${found.environment}) has no adoption table (stacks/adoption/tables): it adopts nothing`,
    );
  return found.environment;
}

/**
 * The adoption rehearsed against an emulated account, as the README's runbook runs it: the legacy
 * state's objects created for real (materialize), then with our stack and that state: a plan with
 * refresh on, plan:check, the saved plan applied, a refresh plan that changes nothing but the emulator's
 * quirks. Then: every moved object that must keep its id kept it, every forgotten object still exists.
 */
/** The provider's read of a role's inline policies racing the apply's delete of one of them. */
export const INLINE_POLICY_RACE =
  /reading inline policies for IAM role[\s\S]*GetRolePolicy[\s\S]*NoSuchEntity/;

export async function rehearse(options: RehearsalOptions): Promise<RehearsalResult> {
  const { stack, legacy, workDir } = options;
  const environment = environmentOfStack(stack);
  const table = ADOPTION_TABLES[environment];
  mkdirSync(workDir, { recursive: true });
  const phases: Phase[] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  const files: Record<string, string> = {};
  let quirkCount = 0;
  const phase = async <T>(name: string, body: () => Promise<T>, detail: (t: T) => string): Promise<T> => {
    const start = performance.now();
    const result = await body();
    const p = { name, seconds: (performance.now() - start) / 1000, detail: detail(result) };
    phases.push(p);
    options.log?.(`${p.name.padEnd(20)} ${p.seconds.toFixed(1).padStart(6)} s  ${p.detail}`);
    return result;
  };

  const synthesized = await phase(
    "synth",
    () =>
      synthesizeForPreview(join(workDir, "synth"), [stack], {
        ...process.env,
        MEDIA_DOWNLOADER_RELEASE: REHEARSAL_RELEASE,
      }),
    () => `${stack} (environment ${environment})`,
  );
  const stackJson = JSON.parse(
    readFileSync(join(synthesized.outdir, "stacks", stack, "cdk.tf.json"), "utf8"),
  ) as StackJson;

  const emulator =
    options.emulator ??
    (await phase(
      "emulator",
      () => startEmulator(),
      (e) => `moto on ${e.endpoint} (pid ${e.pid})`,
    ));
  try {
    const setup: EngineSetup = await phase(
      "engine",
      () => setupEngine(workDir, { installRoot: options.installRoot }),
      (s) => `${s.engine.kind} ${s.engine.version}, provider install ${s.install.reused ? "reused" : "made"}`,
    );
    const schemas = await awsSchemas(setup);
    const materializeOptions = {
      legacy,
      stack: stackJson,
      endpoint: emulator.endpoint,
      setup,
      schemas,
      dir: join(workDir, "legacy"),
    };
    const generated = writeMaterialization(materializeOptions);
    await phase(
      "seed",
      async () => {
        // Layer stand-ins go to the Docker backend, which CreateFunction reads, before Lambda runs without it.
        const layers =
          (await seedLayers(emulator.endpoint, generated.config as StackJson)) +
          (await seedLayers(emulator.endpoint, stackJson));
        await lambdaWithoutDocker(emulator.endpoint);
        const objects = await seedRelease(emulator.endpoint, stackJson);
        return { layers, objects: objects.length };
      },
      (s) => `${s.layers} layer stand-ins, ${s.objects} release objects`,
    );
    for (const s of generated.setAside) notes.push(`set aside: ${s.address}: ${s.reason}`);
    for (const s of generated.substitutions) notes.push(`stand-in: ${s}`);
    for (const s of generated.newerSchemas) problems.push(`schema: ${s} (runbook step 2)`);

    let materialized: Materialized;
    try {
      materialized = await phase(
        "materialize",
        () => applyMaterialization(materializeOptions, generated),
        (m) =>
          `${m.created} legacy objects created, ${legacyInstances(legacy).length} instances in the state`,
      );
    } catch (error) {
      // The state could not be rebuilt here: a failed rehearsal with the engine's reasons, not a crash.
      problems.push((error as Error).message);
      return finish();
    }
    files.materialized = join(workDir, "materialized.tfstate.json");
    writeFileSync(files.materialized, `${JSON.stringify(materialized.state, null, 2)}\n`);

    // The engine here has only the aws provider: instances of others (null_resource, time_sleep) are left
    // out of the state it plans, as in the offline adoption proof; their removed blocks forget them.
    const unmirrored = new Set(generated.setAside.filter((s) => s.keepInState).map((s) => s.address));
    const adoptState: LegacyStateFile = {
      ...materialized.state,
      resources: materialized.state.resources
        .map((r) => ({
          ...r,
          instances: r.instances.filter((i) => !unmirrored.has(instanceAddress(r.type, r.name, i.index_key))),
        }))
        .filter((r) => r.instances.length > 0),
    };
    for (const address of unmirrored)
      notes.push(`left out of the plan: ${address} (its provider is not mirrored; removed block forgets it)`);

    const ws = new EmulatedStack(stack, join(workDir, "adopt"), stackJson, emulator.endpoint, setup);
    ws.writeFile("terraform.tfstate", adoptState);
    const tagGaps = tagGapOverride(stackJson.resource as Record<string, Record<string, unknown>> | undefined);
    if (tagGaps.resource) {
      ws.writeFile(TAG_GAP_OVERRIDE_FILE, tagGaps);
      for (const gap of TAG_UPDATE_GAPS.filter((g) => (tagGaps.resource as Record<string, unknown>)[g.type]))
        notes.push(`tag changes not applied to ${gap.type}: ${gap.reason}`);
    }
    try {
      const before = stateIds(adoptState);
      const beforeAttributes = attributesByAddress(adoptState);

      const adoption = await phase(
        "plan (refresh on)",
        async () => {
          const p = await ws.plan([], "adoption.tfplan");
          return { ...p, json: p.json as unknown as PlanJson };
        },
        (p) => summarize(p.json),
      );
      files.plan = join(workDir, "adoption-plan.json");
      writeFileSync(files.plan, JSON.stringify(adoption.json));

      const verdict = await phase(
        "plan:check",
        async () => {
          // As `npm run plan:check -- <plan> --stack <stack>`: the plan must be this stack's, then the guard.
          try {
            assertPlanOfStack(adoption.json, files.plan, stack);
          } catch (error) {
            return {
              ok: false,
              lines: [`refused: ${(error as Error).message}`, "plan:check failed: not this stack's plan"],
            };
          }
          return checkPlan(adoption.json);
        },
        (v) => v.lines[v.lines.length - 1],
      );
      if (!verdict.ok) {
        problems.push(...verdict.lines.filter((l) => l.startsWith("refused:")));
        return finish();
      }
      for (const line of verdict.lines.filter((l) => l.startsWith("notice:"))) notes.push(line);

      const applied = await phase(
        "apply saved plan",
        () => ws.engine(["apply", "-input=false", "-lock=false", "adoption.tfplan"], [0, 1]),
        (r) => /Apply complete![^\n]*/.exec(r.stdout)?.[0] ?? `exit ${r.code}`,
      );
      if (applied.code !== 0) {
        // The provider reads a role's inline policies while the apply deletes one of them: GetRolePolicy
        // answers 404 and the apply stops, state consistent (seen once in six production rehearsals; AWS
        // can do the same). The runbook's answer: plan again, check it, apply. Any other failure stands.
        if (!INLINE_POLICY_RACE.test(applied.stderr))
          throw new UserError(`${ws.stack}: apply failed (exit ${applied.code}):\n${applied.stderr.trim()}`);
        notes.push(
          "apply stopped on a role's inline policy deleted meanwhile (GetRolePolicy 404): planned and applied again",
        );
        const again = await phase(
          "plan again",
          () => ws.plan([], "again.tfplan"),
          (p) => summarize(p.json as unknown as PlanJson),
        );
        const recheck = checkPlan(again.json as unknown as PlanJson);
        if (!recheck.ok) {
          problems.push(...recheck.lines.filter((l) => l.startsWith("refused:")));
          return finish();
        }
        await phase(
          "apply again",
          () => ws.engine(["apply", "-input=false", "-lock=false", "again.tfplan"]),
          (r) => /Apply complete![^\n]*/.exec(r.stdout)?.[0] ?? "applied",
        );
      }

      const refresh = await phase(
        "refresh plan",
        async () => {
          const p = await ws.plan([], "refresh.tfplan");
          return { ...p, json: p.json as unknown as PlanJson };
        },
        (p) => (p.changes ? summarize(p.json) : "no changes"),
      );
      const changes = attributeChanges(refresh.json as unknown as Parameters<typeof attributeChanges>[0]);
      const real = changes.filter((c) => !quirkOf(c));
      const quirks = changes.length - real.length;
      quirkCount = quirks;
      if (quirks > 0)
        notes.push(
          `refresh plan: ${quirks} emulator quirk(s) (lib/emulator/quirks.ts), nothing else expected`,
        );
      if (real.length > 0)
        problems.push(
          `refresh plan after the adoption changes ${real.length} attribute(s):\n${formatChanges(real)}`,
        );

      await phase(
        "verify",
        async () => {
          const after = ws.ids();
          const afterAttributes = attributesByAddress(ws.state() as LegacyStateFile);
          const moved = (adoption.json.resource_changes ?? []).filter((c) => c.previous_address);
          let kept = 0;
          for (const change of moved) {
            const from = change.previous_address!;
            const actions = change.change.actions.join(",");
            const replaced = actions === "delete,create" || actions === "create,delete";
            if (keepsId(change.type) && replaced)
              problems.push(`${from} -> ${change.address}: replaced (${actions}), its id must stay`);
            if (replaced) continue;
            if (before.get(from) !== after.get(change.address))
              problems.push(
                `${from} -> ${change.address}: id ${before.get(from)} became ${after.get(change.address) ?? "(gone)"}`,
              );
            else kept++;
            if (
              change.type === "aws_api_gateway_api_key" &&
              beforeAttributes.get(from)?.value !== afterAttributes.get(change.address)?.value
            )
              problems.push(`${from} -> ${change.address}: the API key's value changed`);
          }
          const expectedMoves = Object.keys(table.moves).filter((a) => before.has(a));
          const missing = expectedMoves.filter((a) => !moved.some((c) => c.previous_address === a));
          for (const a of missing) problems.push(`moves[${a}]: in the state, but the plan did not move it`);
          const forgotten = Object.keys(table.forget).filter((a) => before.has(a));
          const gone = await forgottenStillExist(adoptState, forgotten, {
            stack: stackJson,
            endpoint: emulator.endpoint,
            setup,
            dir: join(workDir, "forgotten"),
          });
          for (const a of gone) problems.push(`forget[${a}]: no longer exists after the adoption`);
          return { kept, forgotten: forgotten.length - gone.length, moved: moved.length };
        },
        (v) =>
          `${v.kept} moved objects kept their ids (of ${v.moved} moved), ${v.forgotten} forgotten objects still exist`,
      );
      files.state = join(workDir, "adopt", "terraform.tfstate");
    } catch (error) {
      // An engine step that fails (a plan, the apply) fails the rehearsal with its reasons, not the command.
      problems.push(
        `${phases.length > 0 ? `after ${phases[phases.length - 1].name}: ` : ""}${(error as Error).message}`,
      );
    }
    return finish();
  } finally {
    if (!options.emulator) await emulator.stop();
  }

  function finish(): RehearsalResult {
    return {
      stack,
      environment,
      phases,
      problems,
      notes,
      ok: problems.length === 0,
      quirks: quirkCount,
      files,
    };
  }
}

function summarize(plan: PlanJson): string {
  const counts = new Map<string, number>();
  for (const c of plan.resource_changes ?? []) {
    const a = c.change.actions.join(",");
    const name = a === "delete,create" || a === "create,delete" ? "replace" : a;
    if (name === "no-op" && !c.previous_address) continue;
    const key = name === "no-op" ? "moved" : name;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ") || "no changes";
}

function attributesByAddress(state: LegacyStateFile | undefined): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const instance of state ? legacyInstances(state) : []) out.set(instance.address, instance.attributes);
  return out;
}
