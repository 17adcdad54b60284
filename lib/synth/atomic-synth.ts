import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** The part of cdktf's manifest.json this module reads and merges. */
interface Manifest {
  version?: string;
  stacks: Record<
    string,
    { workingDirectory?: string; synthesizedStackPath?: string } & Record<string, unknown>
  >;
}

/**
 * Runs `synthesize` into a fresh temporary directory beside `outdir`, then swaps it into place, so a
 * failed synth leaves the previous output untouched and never a half-written one.
 */
export function synthesizeAtomically(outdir: string, synthesize: (tmpdir: string) => void): void {
  const target = resolve(outdir);
  const tmpdir = freshDirBeside(target);
  try {
    synthesize(tmpdir);
    swapInto(tmpdir, target);
  } catch (error) {
    rmSync(tmpdir, { recursive: true, force: true });
    throw error;
  }
}

export interface SynthesizedStacks {
  /** The stacks this run wrote, in manifest order. */
  readonly written: readonly string[];
  /** Stacks of an earlier synth left as they were (a run that synthesized only some stacks). */
  readonly kept: readonly string[];
  /** Stacks of an earlier synth that this run dropped: the app no longer has them. */
  readonly removed: readonly string[];
}

/**
 * Synthesizes some or all of the app's stacks into `outdir`. All stacks: the whole directory is swapped
 * in (as synthesizeAtomically). Some: each written stack's directory is swapped in on its own, the other
 * stacks keep their previous output, and manifest.json lists both (the cdktf CLI reads it), minus stacks
 * the app no longer has (`known`). A failed synth changes nothing.
 */
export function synthesizeStacks(
  outdir: string,
  options: { readonly all: boolean; readonly known: readonly string[] },
  synthesize: (tmpdir: string) => void,
): SynthesizedStacks {
  const target = resolve(outdir);
  const previous = readManifest(target);
  const tmpdir = freshDirBeside(target);
  try {
    synthesize(tmpdir);
    const fresh = readManifest(tmpdir);
    if (!fresh) throw new Error(`the synth wrote no manifest.json into ${tmpdir}`);
    const written = Object.keys(fresh.stacks);
    const before = Object.keys(previous?.stacks ?? {});
    if (options.all || !previous) {
      swapInto(tmpdir, target);
      return { written, kept: [], removed: before.filter((id) => !written.includes(id)) };
    }
    const kept = before.filter(
      (id) =>
        !written.includes(id) && options.known.includes(id) && existsSync(stackDir(target, previous, id)),
    );
    const removed = before.filter((id) => !written.includes(id) && !kept.includes(id));
    for (const id of written) {
      const dir = stackDir(target, fresh, id);
      mkdirSync(dirname(dir), { recursive: true });
      swapInto(stackDir(tmpdir, fresh, id), dir);
    }
    for (const id of removed) rmSync(stackDir(target, previous, id), { recursive: true, force: true });
    const stacks: Manifest["stacks"] = {};
    for (const id of [...kept, ...written].sort()) stacks[id] = (fresh.stacks[id] ?? previous.stacks[id])!;
    const manifest = join(target, "manifest.json");
    writeFileSync(`${manifest}.tmp`, `${JSON.stringify({ ...fresh, stacks }, null, 2)}\n`);
    renameSync(`${manifest}.tmp`, manifest);
    rmSync(tmpdir, { recursive: true, force: true });
    return { written, kept, removed };
  } catch (error) {
    rmSync(tmpdir, { recursive: true, force: true });
    throw error;
  }
}

function freshDirBeside(target: string): string {
  mkdirSync(dirname(target), { recursive: true });
  return mkdtempSync(`${resolve(dirname(target), basename(target))}.tmp-`);
}

/** Replaces `target` by `source` with two renames; the old content is removed afterwards. */
function swapInto(source: string, target: string): void {
  const old = `${source}.old`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(source, target);
  rmSync(old, { recursive: true, force: true });
}

function readManifest(dir: string): Manifest | undefined {
  const file = join(dir, "manifest.json");
  if (!existsSync(file)) return undefined;
  const manifest = JSON.parse(readFileSync(file, "utf8")) as Partial<Manifest>;
  return { ...manifest, stacks: manifest.stacks ?? {} };
}

/** A stack's directory in a synthesized output (cdktf: stacks/<id>). */
export function stackDir(outdir: string, manifest: Manifest | undefined, id: string): string {
  return join(outdir, manifest?.stacks[id]?.workingDirectory ?? join("stacks", id));
}
