import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { POLICY_CONTEXT_FILE_ENV } from "../../policies";
import { checkPlan } from "../../policies/plan";
import type { PolicyContext, Violation } from "../../policies/types";
import { UserError } from "../cli/cli";
import { selectStacks } from "../synth/select-stacks";
import { ALLOW_SAMPLE_SECRETS_ENV } from "../sops/samples";
import { findEngine, run, type Engine } from "./engine";
import { installProvider, type ProviderInstall } from "./install";
import { mirrorVersions } from "./mirror";
import { chooseProviderSource, describeSource } from "./source";
import { AWS_PROVIDER_VERSION } from "../../stacks/requirements";
import { checkSubsetDir, formatFinding } from "./subset";
import { summarizePlan, type PlanJson, type PlanSummary } from "./summary";
import { FILES, prepareWorkingCopy, type StackJson } from "./working-copy";

export { formatCounts, formatSummary, summarizePlan, type PlanJson, type PlanSummary } from "./summary";
export { prepareWorkingCopy } from "./working-copy";
export { ENGINE_SETTING, engineBinary, findEngine, type Engine } from "./engine";

/** Repository root: where main.ts lives. */
export const REPO_ROOT = resolve(__dirname, "..", "..");

/** Release id the preview synthesizes with when MEDIA_DOWNLOADER_RELEASE is unset: obviously not a real one. */
export const OFFLINE_RELEASE = "offline-preview";

export interface PreviewOptions {
  /** Working directory for synth output, working copies and the plugin cache. @default $PREVIEW_WORK_DIR or <repo>/.preview */
  readonly workDir?: string;
  /** Environment to read settings from (TF_PLUGIN_MIRROR, TERRAFORM_BINARY_NAME, ...). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Reuse this synthesized cdktf.out instead of synthesizing (no policy context unless given). */
  readonly synthesized?: {
    readonly outdir: string;
    readonly contexts?: Readonly<Record<string, PolicyContext>>;
  };
  /** Progress lines (phase starts and ends). @default none */
  readonly log?: (line: string) => void;
  /**
   * A state file per stack id, copied in as the working copy's local state before the plan (adoption
   * tests: a legacy state fixture). @default every stack plans against an empty state
   */
  readonly priorStates?: Readonly<Record<string, string>>;
  /** Where the provider install is cached (runs may share one; installs take a lock). @default <workDir>/.provider-install */
  readonly installRoot?: string;
}

export interface StackTimings {
  prepare: number;
  plan: number;
  show: number;
  policies: number;
}

export interface StackPreview {
  readonly stack: string;
  /** The working directory (local backend, override, fake secrets, tfplan, plan.json, plan.txt). */
  readonly dir: string;
  /** Where `show -json` was written. */
  readonly planFile: string;
  readonly planJson: PlanJson;
  readonly summary: PlanSummary;
  /** Plan policy violations; undefined when the stack had no policy context. */
  readonly violations?: readonly Violation[];
  /** Secret keys replaced by fake values. */
  readonly fakeSecretKeys: readonly string[];
  readonly timings: StackTimings;
}

export interface PreviewRun {
  readonly engine: Engine;
  /** The provider installs the stacks planned with (one per aws version), each with its engine environment. */
  readonly installs: readonly ProviderInstall[];
  readonly stacks: readonly StackPreview[];
  /** Seconds: synth (wall), provider install (concurrent with synth), total wall. */
  readonly timings: { synth: number; install: number; total: number };
}

/** One or more stacks failed to plan: each with the engine's own output. */
export class PreviewError extends UserError {
  constructor(readonly failures: readonly { stack: string; message: string }[]) {
    super(failures.map((f) => `${f.stack}: ${f.message}`).join("\n"));
  }
}

const seconds = (start: number) => (performance.now() - start) / 1000;

function stripErrorPrefix(text: string): string {
  return text.trim().replace(/^error: /, "");
}

export interface Synthesized {
  readonly outdir: string;
  readonly stackIds: readonly string[];
  readonly contexts: Readonly<Record<string, PolicyContext>>;
}

/** Runs the app (main.ts) for `stackIds` into `outdir` with a fake release and sample secrets allowed. */
export async function synthesizeForPreview(
  workDir: string,
  stackIds: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Synthesized> {
  const outdir = join(workDir, "cdktf.out");
  const contextFile = join(workDir, "policy-context.json");
  rmSync(contextFile, { force: true });
  const synthEnv: NodeJS.ProcessEnv = {
    ...env,
    CDKTF_OUTDIR: outdir,
    MEDIA_DOWNLOADER_RELEASE: env.MEDIA_DOWNLOADER_RELEASE || OFFLINE_RELEASE,
    [ALLOW_SAMPLE_SECRETS_ENV]: "1",
    [POLICY_CONTEXT_FILE_ENV]: contextFile,
  };
  delete synthEnv.CDKTF_TARGET_STACK_ID;
  const result = await run(process.execPath, ["-r", "./lib/transpile/register.cjs", "main.ts", ...stackIds], {
    cwd: REPO_ROOT,
    env: synthEnv,
  });
  if (result.code !== 0)
    throw new UserError(stripErrorPrefix(result.stderr) || `synth exited with ${result.code}`);
  return {
    outdir,
    stackIds: manifestStacks(outdir),
    contexts: existsSync(contextFile) ? JSON.parse(readFileSync(contextFile, "utf8")) : {},
  };
}

function manifestStacks(outdir: string): string[] {
  const manifestFile = join(outdir, "manifest.json");
  if (!existsSync(manifestFile))
    throw new UserError(`no synthesized app in ${outdir} (manifest.json missing)`);
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { stacks?: Record<string, unknown> };
  return Object.keys(manifest.stacks ?? {});
}

function requiredAwsVersion(stack: StackJson): string | undefined {
  const aws = stack.terraform?.required_providers?.aws as { version?: unknown } | undefined;
  return typeof aws?.version === "string" && /^\d+\.\d+\.\d+$/.test(aws.version.trim())
    ? aws.version.trim()
    : undefined;
}

async function previewStack(
  stack: string,
  synthesized: Synthesized,
  workDir: string,
  engine: Engine,
  install: ProviderInstall,
  log: (line: string) => void,
  priorStates?: Readonly<Record<string, string>>,
): Promise<StackPreview> {
  const timings: StackTimings = { prepare: 0, plan: 0, show: 0, policies: 0 };
  let started = performance.now();
  const dir = join(workDir, stack);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const source = JSON.parse(
    readFileSync(join(synthesized.outdir, "stacks", stack, "cdk.tf.json"), "utf8"),
  ) as StackJson;
  const copy = prepareWorkingCopy(stack, source);
  writeFileSync(join(dir, FILES.main), `${JSON.stringify(copy.main, null, 2)}\n`);
  writeFileSync(join(dir, FILES.override), `${JSON.stringify(copy.override, null, 2)}\n`);
  writeFileSync(join(dir, FILES.fakeSecrets), `${JSON.stringify(copy.fakeSecrets, null, 2)}\n`);
  const findings = checkSubsetDir(dir);
  if (findings.length > 0)
    throw new UserError(
      `the working copy leaves the Terraform/OpenTofu shared subset:\n${findings.map(formatFinding).join("\n")}`,
    );
  timings.prepare = seconds(started);

  const step = async (name: "plan" | "show", args: string[], stdoutFile?: string) => {
    log(`${stack}: ${name}`);
    const result = await run(engine.path, args, {
      cwd: dir,
      env: { ...install.env, TF_DATA_DIR: install.dataDir },
      stdoutFile,
    });
    timings[name] = result.seconds;
    if (result.code !== 0) {
      const output =
        result.stderr.trim() || (stdoutFile ? readFileSync(stdoutFile, "utf8").trim() : result.stdout.trim());
      throw new UserError(`${name} failed (exit ${result.code}):\n${output}`);
    }
  };
  // The shared init (installProvider) stands for this stack's: same backend, same provider.
  const priorState = priorStates?.[stack];
  if (priorState) copyFileSync(priorState, join(dir, "terraform.tfstate"));
  copyFileSync(install.lockFile, join(dir, ".terraform.lock.hcl"));
  await step(
    "plan",
    ["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", "-out=tfplan"],
    join(dir, "plan.txt"),
  );
  const planFile = join(dir, "plan.json");
  await step("show", ["show", "-json", "-no-color", "tfplan"], planFile);

  started = performance.now();
  const planJson = JSON.parse(readFileSync(planFile, "utf8")) as PlanJson;
  const summary = summarizePlan(planJson);
  const context = synthesized.contexts[stack];
  const violations = context ? checkPlan(planJson, { context, configuration: copy.main }) : undefined;
  timings.policies = seconds(started);
  return { stack, dir, planFile, planJson, summary, violations, fakeSecretKeys: copy.replacedKeys, timings };
}

/**
 * Synthesizes the app, then for each stack (default: all) plans a working copy offline: local backend,
 * fake provider credentials, fake secrets, providers from the filesystem mirror. Stacks run in parallel
 * and share one provider install. Returns each stack's plan JSON, summary and plan policy violations.
 */
export async function previewStacks(
  stackIds: readonly string[] = [],
  options: PreviewOptions = {},
): Promise<PreviewRun> {
  const startedAll = performance.now();
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const workDir = resolve(options.workDir ?? (env.PREVIEW_WORK_DIR || join(REPO_ROOT, ".preview")));
  const engine = findEngine(env);
  const source = chooseProviderSource(env);
  log(describeSource(source, engine.host));
  // A mirror offers what it holds; the registry offers any version (the stacks' pin is installed first).
  const versions = source.kind === "mirror" ? mirrorVersions(source.dir) : [AWS_PROVIDER_VERSION];
  mkdirSync(workDir, { recursive: true });

  // The provider install needs no synth output: run it while the app synthesizes.
  const installs = new Map<string, Promise<ProviderInstall>>();
  const install = (version: string) => {
    if (!installs.has(version))
      installs.set(
        version,
        installProvider({ workDir, engine, baseEnv: env, source, version, log, root: options.installRoot }),
      );
    return installs.get(version)!;
  };
  const newest = versions[versions.length - 1];
  const earlyInstall = install(newest);
  earlyInstall.catch(() => {}); // awaited below; avoid an unhandled rejection while synth runs

  const started = performance.now();
  log("synth");
  const synthesized: Synthesized = options.synthesized
    ? {
        outdir: resolve(options.synthesized.outdir),
        stackIds: manifestStacks(resolve(options.synthesized.outdir)),
        contexts: options.synthesized.contexts ?? {},
      }
    : await synthesizeForPreview(workDir, stackIds, env);
  const synthSeconds = seconds(started);

  const selected = selectStacks(synthesized.stackIds, stackIds);

  // Every stack's pinned aws version must be in the mirror; install each pinned version once.
  const required = new Set<string>();
  const versionOf = new Map<string, string>();
  for (const stack of selected) {
    const json = JSON.parse(
      readFileSync(join(synthesized.outdir, "stacks", stack, "cdk.tf.json"), "utf8"),
    ) as StackJson;
    const version = requiredAwsVersion(json);
    if (version && source.kind === "mirror" && !versions.includes(version))
      throw new UserError(
        `plugin mirror ${source.dir} has hashicorp/aws ${versions.join(", ")}, but ${stack} requires ${version} (set TF_PLUGIN_MIRROR)`,
      );
    required.add(version ?? newest);
    versionOf.set(stack, version ?? newest);
  }
  const installed = new Map<string, ProviderInstall>([[newest, await earlyInstall]]);
  for (const version of required) if (!installed.has(version)) installed.set(version, await install(version));
  const installSeconds = [...installed.values()].reduce((sum, i) => sum + i.seconds, 0);

  const settled = await Promise.allSettled(
    selected.map((stack) =>
      previewStack(
        stack,
        synthesized,
        workDir,
        engine,
        installed.get(versionOf.get(stack)!)!,
        log,
        options.priorStates,
      ),
    ),
  );
  const failures = settled.flatMap((s, i) =>
    s.status === "rejected"
      ? [{ stack: selected[i], message: s.reason instanceof Error ? s.reason.message : String(s.reason) }]
      : [],
  );
  if (failures.length > 0) throw new PreviewError(failures);
  return {
    engine,
    installs: [...installed.values()],
    stacks: settled.map((s) => (s as PromiseFulfilledResult<StackPreview>).value),
    timings: { synth: synthSeconds, install: installSeconds, total: seconds(startedAll) },
  };
}

/** A path relative to the repository, for messages. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}
