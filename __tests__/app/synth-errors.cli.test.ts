import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { environments } from "../helpers/environments";

/**
 * What a new user meets when the synth cannot write or cannot read its input: one line naming the file,
 * what went wrong and what to do; exit 1; the previous output untouched. Never "internal error".
 */
const ROOT = resolve(__dirname, "../..");
const NOBODY = 65534;

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "synth-errors-"));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function synth(cwd: string, outdir: string, options: { uid?: number } = {}) {
  return spawnSync(process.execPath, ["-r", "./lib/transpile/register.cjs", "main.ts"], {
    cwd,
    env: { ...process.env, CDKTF_OUTDIR: outdir, MEDIA_DOWNLOADER_RELEASE: "" },
    encoding: "utf8",
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
}

/** An earlier synth's output: what a failed synth must leave exactly as it was. */
function previousOutput(outdir: string): string {
  mkdirSync(join(outdir, "stacks", "staging-stack"), { recursive: true });
  writeFileSync(join(outdir, "manifest.json"), '{"version":"0.21.0","stacks":{}}\n');
  writeFileSync(join(outdir, "stacks", "staging-stack", "cdk.tf.json"), '{"old":true}\n');
  return listing(outdir);
}

const listing = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .map(
      (e) =>
        `${join(e.parentPath, e.name)}${e.isFile() ? ` ${readFileSync(join(e.parentPath, e.name), "utf8")}` : ""}`,
    )
    .sort()
    .join("\n");

test("a read-only output folder: one line naming it, exit 1, the previous output intact", () => {
  // Root writes through any mode bits: as root, the synth runs as nobody, for whom the folder is read-only.
  // The folder lies in the repository's git-ignored .build/, which nobody can reach (TMPDIR is private).
  const asRoot = process.getuid?.() === 0;
  mkdirSync(join(ROOT, ".build"), { recursive: true });
  const base = mkdtempSync(join(ROOT, ".build", "synth-read-only-"));
  try {
    const outdir = join(base, "cdktf.out");
    const before = previousOutput(outdir);
    chmodSync(base, 0o555);
    const run = synth(ROOT, outdir, asRoot ? { uid: NOBODY } : {});
    expect(run.stderr).toMatch(
      /^error: \.build\/synth-read-only-\w+: permission denied \(mkdtemp, EACCES\); make it writable \(or readable\) for you, or use another path\n$/,
    );
    expect(run.status).toBe(1);
    expect(listing(outdir)).toBe(before);
    expect(readdirSync(base)).toEqual(["cdktf.out"]);
  } finally {
    chmodSync(base, 0o755);
    rmSync(base, { recursive: true, force: true });
  }
});

test("an output path under a file: one line naming the file in the way, exit 1, nothing written", () => {
  writeFileSync(join(scratch, "notes.txt"), "a file, not a folder\n");
  const run = synth(ROOT, join(scratch, "notes.txt", "cdktf.out"));
  expect(run.stderr).toBe(
    `error: ${join(scratch, "notes.txt")}: a file is in the way (mkdir, EEXIST); move that file away or use another path\n`,
  );
  expect(run.status).toBe(1);
  expect(readdirSync(scratch)).toEqual(["notes.txt"]);
});

/** A copy of what the app reads, to break on purpose; node_modules is linked. */
function repoCopy(): string {
  const copy = join(scratch, "repo");
  for (const path of [
    "main.ts",
    "package.json",
    ".sops.yaml",
    ".terraform.lock.hcl",
    "config",
    "stacks",
    "bootstrap",
    "media-downloader",
    "policies",
    "lib",
    "secrets",
  ])
    cpSync(join(ROOT, path), join(copy, path), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
  return copy;
}

test("a secrets file encrypted to the other environment's recipient: refused without any key, old output intact", () => {
  const copy = repoCopy();
  // The first environment's file replaced by the second's (its own rule, its own recipient).
  const [first, second] = Object.values(environments());
  cpSync(join(copy, second.secretsFile), join(copy, first.secretsFile));
  const outdir = join(copy, "cdktf.out");
  const before = previousOutput(outdir);
  const run = synth(copy, outdir);
  expect(run.stderr).toMatch(
    new RegExp(
      `^error: secrets of ${first.environment} are not usable:\n  - ${first.secretsFile.replace(/\./g, "\\.")}: encrypted to age1\\w+ \\(creation_rules\\[\\d+\\]: .*\\), but \\.sops\\.yaml creation_rules\\[\\d+\\] gives it age1\\w+: the deploy, holding its environment's key, could not decrypt it; re-encrypt it: sops updatekeys ${first.secretsFile.replace(/\./g, "\\.")}\n$`,
    ),
  );
  expect(run.status).toBe(1);
  expect(listing(outdir)).toBe(before);
});

test("a syntax error in a config file: file:line:column, what the parser expected, what to do; old output intact", () => {
  const copy = repoCopy();
  const file = join(copy, "config/staging.ts");
  const lines = readFileSync(file, "utf8").split("\n");
  const at = lines.findIndex((line) => /^ {2}logLevel: "DEBUG",$/.test(line));
  expect(at).toBeGreaterThan(0);
  lines[at] = '  logLevel: "DEBUG",,';
  writeFileSync(file, lines.join("\n"));
  const outdir = join(copy, "cdktf.out");
  const before = previousOutput(outdir);

  const run = synth(copy, outdir);
  expect(run.stderr).toBe(
    `error: config/staging.ts:${at + 1}:21: syntax error: Property assignment expected; fix it there and run again (npm run typecheck checks every file)\n`,
  );
  expect(run.status).toBe(1);
  expect(listing(outdir)).toBe(before);
});
