import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
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
import { loadBootstrap } from "../../config";
import { bootstrapStacks } from "../../stacks/bootstrap-stack";
import { environments } from "../helpers/synth";
import { synthesizeAtomically, synthesizeStacks } from "../../lib/synth/atomic-synth";
import { selectStacks } from "../../lib/synth/select-stacks";
import { lockBlocks, providerName, readProviderLock, requiredProviders } from "../../lib/synth/provider-lock";

const ROOT = resolve(__dirname, "../..");
// Every environment's stack, then one bootstrap stack per account.
const STACK_IDS = [
  ...Object.values(environments()).map((config) => config.stack),
  ...bootstrapStacks(loadBootstrap(environments())).map((stack) => stack.id),
];

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "synth-cli-"));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function runApp(args: string[], env: Record<string, string> = {}, outdir = join(scratch, "cdktf.out")) {
  const result = spawnSync(process.execPath, ["-r", "./lib/transpile/register.cjs", "main.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, MEDIA_DOWNLOADER_RELEASE: "", ...env },
    encoding: "utf8",
  });
  return { ...result, outdir };
}

const manifestStacks = (outdir: string) =>
  Object.keys(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).stacks).sort();

// One full synth for the tests that read a whole cdktf.out, run with only node on PATH: synth needs no
// engine (cdktf's moveFromId adds a validation that runs `terraform version`; the adoption's moved blocks
// are written without it, stacks/adoption/adoption-table.ts).
let full: ReturnType<typeof runApp>;
let fullDir: string;
beforeAll(() => {
  fullDir = mkdtempSync(join(tmpdir(), "synth-cli-full-"));
  const bin = join(fullDir, "bin");
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, "node"));
  full = runApp([], { PATH: bin }, join(fullDir, "cdktf.out"));
});
afterAll(() => rmSync(fullDir, { recursive: true, force: true }));

test("the app synthesizes every environment's stack, with no engine on PATH, and prints one line per stack with its resources", () => {
  const run = full;
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  // The ids the user asked for; any further environment adds its own.
  expect(STACK_IDS).toEqual(expect.arrayContaining(["staging-stack", "prod-stack"]));
  expect(readdirSync(join(run.outdir, "stacks")).sort()).toEqual([...STACK_IDS].sort());
  expect(manifestStacks(run.outdir)).toEqual([...STACK_IDS].sort());
  const lines = run.stdout.trim().split("\n");
  expect(lines).toHaveLength(STACK_IDS.length);
  for (const [line, id] of lines.map((l, i) => [l, STACK_IDS[i]])) {
    const file = join(run.outdir, "stacks", id, "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    const count = Object.values(json.resource as Record<string, object>).reduce(
      (n, byName) => n + Object.keys(byName).length,
      0,
    );
    // README: about 207 AWS resources in staging and 218 in production; the bootstrap holds about 50.
    expect(count).toBeGreaterThan(id.startsWith("bootstrap-") ? 40 : 190);
    expect(line).toBe(`${id}: ${count} resources -> ${file}`);
  }
  const prod = JSON.parse(readFileSync(join(run.outdir, "stacks", "prod-stack", "cdk.tf.json"), "utf8"));
  expect(prod.moved.length).toBeGreaterThan(0);
  expect(prod.terraform.required_version).toBe(">= 1.10.0");
});

test("every stack's directory holds the committed lock file's blocks for exactly the providers it requires", () => {
  const committed = lockBlocks(readProviderLock());
  for (const id of STACK_IDS) {
    const dir = join(full.outdir, "stacks", id);
    const required = requiredProviders(JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")));
    const lock = lockBlocks(readFileSync(join(dir, ".terraform.lock.hcl"), "utf8"));
    expect([id, lock]).toEqual([id, committed.filter((b) => required.includes(providerName(b.address)))]);
    expect([id, lock.map((b) => providerName(b.address))]).toEqual([
      id,
      expect.arrayContaining(["hashicorp/aws"]),
    ]);
  }
});

test("synthesizing one stack keeps the other stacks' output, and the manifest lists all of them", () => {
  const outdir = join(scratch, "cdktf.out");
  cpSync(full.outdir, outdir, { recursive: true });
  const prodFile = join(outdir, "stacks/prod-stack/cdk.tf.json");
  writeFileSync(prodFile, readFileSync(prodFile, "utf8").replace("{", '{"marker": "earlier synth",'));
  const run = runApp(["staging-stack"]);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^staging-stack: \d+ resources -> .*staging-stack\/cdk\.tf\.json$/m);
  expect(run.stdout).toMatch(/^prod-stack: kept its previous output \(.*prod-stack\)$/m);
  expect(JSON.parse(readFileSync(prodFile, "utf8")).marker).toBe("earlier synth");
  expect(manifestStacks(run.outdir)).toEqual([...STACK_IDS].sort());
  const manifest = JSON.parse(readFileSync(join(run.outdir, "manifest.json"), "utf8"));
  expect(manifest.stacks["prod-stack"].synthesizedStackPath).toBe("stacks/prod-stack/cdk.tf.json");
  expect(readdirSync(scratch)).toEqual(["cdktf.out"]);
});

test("cdktf's CDKTF_TARGET_STACK_ID selects the stack like an argument", () => {
  const run = runApp([], { CDKTF_TARGET_STACK_ID: "prod-stack" });
  expect(run.status).toBe(0);
  expect(run.stdout.trim()).toMatch(/^prod-stack: \d+ resources -> /);
  expect(manifestStacks(run.outdir)).toEqual(["prod-stack"]);
});

test("a partial synth drops a stack the app no longer has, and says so", () => {
  const outdir = join(scratch, "cdktf.out");
  synthesizeStacks(outdir, { all: true, known: ["old-stack"] }, (dir) => fakeSynth(dir, ["old-stack"]));
  const result = synthesizeStacks(outdir, { all: false, known: ["new-stack"] }, (dir) =>
    fakeSynth(dir, ["new-stack"]),
  );
  expect(result).toEqual({ written: ["new-stack"], kept: [], removed: ["old-stack"] });
  expect(readdirSync(join(outdir, "stacks"))).toEqual(["new-stack"]);
  expect(manifestStacks(outdir)).toEqual(["new-stack"]);
});

/** What App.synth writes: stacks/<id>/cdk.tf.json and a manifest. */
function fakeSynth(dir: string, ids: string[]) {
  const stacks: Record<string, object> = {};
  for (const id of ids) {
    const stackDir = join(dir, "stacks", id);
    mkdirSync(stackDir, { recursive: true });
    writeFileSync(join(stackDir, "cdk.tf.json"), "{}");
    stacks[id] = {
      name: id,
      workingDirectory: `stacks/${id}`,
      synthesizedStackPath: `stacks/${id}/cdk.tf.json`,
    };
  }
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks }));
}

test("a bad config exits 1 with one line per problem, no stack trace, and no output directory", () => {
  const run = runApp([], { MEDIA_DOWNLOADER_RELEASE: "bad release!" });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/^error: invalid configuration:\n/);
  expect(run.stderr).toMatch(/config\/staging: artifacts\.release: expected a release id/);
  expect(run.stderr).toMatch(/config\/production: artifacts\.release: expected a release id/);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(existsSync(run.outdir)).toBe(false);
  expect(readdirSync(scratch)).toEqual([]);
});

test("an unknown stack name is refused with the list of real ones", () => {
  const run = runApp(["nosuch-stack"]);
  expect(run.status).toBe(1);
  expect(run.stderr.trim()).toBe(
    `error: unknown stack 'nosuch-stack'; the stacks are: ${STACK_IDS.join(", ")}`,
  );
  expect(selectStacks(["a", "b"], ["b"])).toEqual(["b"]);
});

test("--help prints the usage and exits 0 without synthesizing; an unknown flag is refused with it", () => {
  const help = runApp(["--help"]);
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/^usage: npm run synth -- \[stack \.\.\.\]\n/);
  expect(existsSync(help.outdir)).toBe(false);
  const bad = runApp(["--bogus"]);
  expect(bad.status).toBe(1);
  expect(bad.stderr).toBe("error: Unknown option '--bogus'\nusage: npm run synth -- [stack ...]\n");
  expect(existsSync(bad.outdir)).toBe(false);
});

test("a failed synth leaves the previous output untouched and no temporary directory", () => {
  const outdir = join(scratch, "cdktf.out");
  synthesizeAtomically(outdir, (dir) => writeFileSync(join(dir, "marker"), "first"));
  expect(() =>
    synthesizeAtomically(outdir, (dir) => {
      writeFileSync(join(dir, "marker"), "half-written");
      throw new Error("boom");
    }),
  ).toThrow("boom");
  expect(readFileSync(join(outdir, "marker"), "utf8")).toBe("first");
  expect(readdirSync(scratch)).toEqual(["cdktf.out"]);
});
