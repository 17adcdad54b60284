import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { synthesizeAtomically } from "../../lib/synth/atomic-synth";
import { selectStacks } from "../../lib/synth/select-stacks";
import { stackIds } from "../helpers/environments";

const ROOT = resolve(__dirname, "../..");

function runApp(args: string[], env: Record<string, string>) {
  const outdir = mkdtempSync(join(tmpdir(), "synth-cli-"));
  const result = spawnSync(process.execPath, ["-r", "sucrase/register/ts", "main.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: join(outdir, "cdktf.out"), MEDIA_DOWNLOADER_RELEASE: "", ...env },
    encoding: "utf8",
  });
  return { ...result, outdir: join(outdir, "cdktf.out"), parent: outdir };
}

test("the app synthesizes both stacks into the output directory", () => {
  const run = runApp([], {});
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(readdirSync(join(run.outdir, "stacks")).sort()).toEqual(stackIds().sort());
  const manifest = JSON.parse(readFileSync(join(run.outdir, "manifest.json"), "utf8"));
  expect(Object.keys(manifest.stacks).sort()).toEqual(stackIds().sort());
});

test("a bad config exits 1 with one line per problem, no stack trace, and no output directory", () => {
  const run = runApp([], { MEDIA_DOWNLOADER_RELEASE: "bad release!" });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/^error: invalid configuration:\n/);
  expect(run.stderr).toMatch(/config\/staging: artifacts\.release: expected a release id/);
  expect(run.stderr).toMatch(/config\/production: artifacts\.release: expected a release id/);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(existsSync(run.outdir)).toBe(false);
  expect(readdirSync(run.parent)).toEqual([]);
});

test("an unknown stack name is refused with the list of real ones", () => {
  const run = runApp(["nosuch-stack"], {});
  expect(run.status).toBe(1);
  expect(run.stderr.trim()).toBe(
    `error: unknown stack 'nosuch-stack'; the stacks are: ${stackIds().join(", ")}`,
  );
  expect(selectStacks(["a", "b"], ["b"])).toEqual(["b"]);
});

test("a failed synth leaves the previous output untouched and no temporary directory", () => {
  const parent = mkdtempSync(join(tmpdir(), "atomic-"));
  const outdir = join(parent, "cdktf.out");
  synthesizeAtomically(outdir, (dir) => writeFileSync(join(dir, "marker"), "first"));
  expect(() =>
    synthesizeAtomically(outdir, (dir) => {
      writeFileSync(join(dir, "marker"), "half-written");
      throw new Error("boom");
    }),
  ).toThrow("boom");
  expect(readFileSync(join(outdir, "marker"), "utf8")).toBe("first");
  expect(readdirSync(parent)).toEqual(["cdktf.out"]);
});
