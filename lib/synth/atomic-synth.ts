import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
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
  } finally {
    released(tmpdir);
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
  } finally {
    released(tmpdir);
  }
}

/**
 * A fresh `<outdir>.tmp-<pid>-XXXXXX` beside the output. The pid names the owner, so the next run can tell
 * a folder an interrupted synth left (its process is gone) from one a running synth is writing.
 */
function freshDirBeside(target: string): string {
  mkdirSync(dirname(target), { recursive: true });
  sweepLeftovers(target);
  const dir = mkdtempSync(`${target}.tmp-${process.pid}-`);
  removedOnSignal(dir);
  return dir;
}

/** `cdktf.out.tmp-<pid>-XXXXXX` (and its `.old` during a swap); the pid-less form of earlier versions. */
function leftoverOwner(target: string, name: string): number | "unknown" | undefined {
  const prefix = `${basename(target)}.tmp-`;
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  const owned = /^(\d+)-[A-Za-z0-9]{6}(\.old)?$/.exec(rest);
  if (owned) return Number(owned[1]);
  return /^[A-Za-z0-9]{6}(\.old)?$/.test(rest) ? "unknown" : undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the temporary folders of synths that were killed before they could clean up (SIGKILL, a crash,
 * an interrupt before this version): those whose owner process is gone, and those of earlier versions,
 * which named no owner. A folder of a synth still running is left alone.
 */
export function sweepLeftovers(target: string): string[] {
  const swept: string[] = [];
  for (const name of readdirSync(dirname(target))) {
    const owner = leftoverOwner(target, name);
    if (owner === undefined || (owner !== "unknown" && (owner === process.pid || isRunning(owner)))) continue;
    rmSync(join(dirname(target), name), { recursive: true, force: true });
    swept.push(name);
  }
  return swept;
}

/** The temporary folders this process is writing now: removed if SIGINT or SIGTERM ends it. */
const inProgress = new Set<string>();
let signalsHandled = false;

/**
 * Ctrl-C (SIGINT) or SIGTERM during a synth must not leave a temporary folder behind. With a handler
 * installed, node runs it once the synchronous synth returns (released() makes sure the loop turns once
 * more): the swap has then completed (or the failed synth cleaned up) and the output is whole; the
 * handler removes anything still in progress and exits with the signal's conventional code.
 */
function removedOnSignal(dir: string): void {
  inProgress.add(dir);
  if (signalsHandled) return;
  signalsHandled = true;
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.on(signal, () => {
      for (const left of inProgress) {
        rmSync(left, { recursive: true, force: true });
        rmSync(`${left}.old`, { recursive: true, force: true });
      }
      process.stderr.write(`interrupted (${signal}): no temporary folder left behind\n`);
      process.exit(code);
    });
  }
}

function released(dir: string): void {
  inProgress.delete(dir);
  // A signal that came during the synth waits in libuv until the loop polls again; a process with nothing
  // left to do would exit first and drop it. One more turn of the loop delivers it to the handler above.
  setImmediate(() => undefined);
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
