import { readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { App } from "cdktf";
import { parseCommand } from "../cli/args";
import { selectStacks } from "./select-stacks";
import { stackDir, synthesizeStacks } from "./atomic-synth";
import { readProviderLock, writeStackLock } from "./provider-lock";

export const SYNTH_COMMAND = {
  usage: "usage: npm run synth -- [stack ...]",
  help: [
    "Synthesizes the named stacks (default: all of them) into cdktf.out/ (CDKTF_OUTDIR overrides), atomically",
    "per stack: a failed synth changes nothing, and stacks not named keep their previous output. Prints one",
    "line per stack written. `cdktf synth` runs the same app (it names one stack in CDKTF_TARGET_STACK_ID).",
  ].join("\n"),
} as const;

/** The stack ids asked for on the command line and by the cdktf CLI; undefined after --help. */
export function parseSynthArgs(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): string[] | undefined {
  const parsed = parseCommand(SYNTH_COMMAND, argv);
  if (!parsed) return undefined;
  return [...parsed.positionals, env.CDKTF_TARGET_STACK_ID ?? ""].filter(Boolean);
}

/** What an App needs from the app's stack registry (stacks/registry.ts). */
interface Stacks {
  keys(): IterableIterator<string>;
  get(id: string): { create(app: App): unknown } | undefined;
}

/**
 * Synthesizes the requested stacks (all when none) with `prepare` applied to the App (the policies),
 * into `outdir`, and returns one line per stack: where it was written and how many resources it holds,
 * plus what was kept from or removed since the previous synth. Each stack's directory gets its providers'
 * blocks of the committed lock file (provider-lock.ts), inside the same atomic swap.
 */
export function synthesizeApp(
  stacks: Stacks,
  requested: readonly string[],
  prepare: (app: App) => void,
  outdir: string = process.env.CDKTF_OUTDIR ?? "cdktf.out",
  lockText: string = readProviderLock(),
): string[] {
  const known = [...stacks.keys()];
  const selected = selectStacks(known, requested);
  const result = synthesizeStacks(outdir, { all: selected.length === known.length, known }, (dir) => {
    const app = new App({ outdir: dir, stackTraces: false });
    for (const id of selected) stacks.get(id)!.create(app);
    prepare(app);
    app.synth();
    for (const id of selected) writeStackLock(stackDir(dir, undefined, id), lockText);
  });
  const shown = (path: string) => {
    const rel = relative(process.cwd(), path);
    return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
  };
  const target = resolve(outdir);
  const inAppOrder = (ids: readonly string[]) => known.filter((id) => ids.includes(id));
  return [
    ...inAppOrder(result.written).map((id) => {
      const file = join(stackDir(target, undefined, id), "cdk.tf.json");
      return `${id}: ${resourceCount(file)} resources -> ${shown(file)}`;
    }),
    ...inAppOrder(result.kept).map(
      (id) => `${id}: kept its previous output (${shown(stackDir(target, undefined, id))})`,
    ),
    ...result.removed.map((id) => `${id}: removed its previous output (the app no longer has this stack)`),
  ];
}

/** Resources in a synthesized stack (Terraform JSON `resource.<type>.<name>`; data sources not counted). */
export function resourceCount(file: string): number {
  const json = JSON.parse(readFileSync(file, "utf8")) as {
    resource?: Record<string, Record<string, unknown>>;
  };
  return Object.values(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}
