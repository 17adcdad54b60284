import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * An interrupted synth leaves no `cdktf.out.tmp-*` folder: Ctrl-C (SIGINT) or SIGTERM during a synth is
 * handled, and the next run sweeps the folders of synths killed outright (their process is gone).
 */
const ROOT = resolve(__dirname, "../..");

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "synth-interrupted-"));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

const temporaryFolders = () => readdirSync(scratch).filter((name) => name.startsWith("cdktf.out.tmp-"));

/**
 * A synth through lib/synth/atomic-synth.ts whose synthesize step writes a file, then waits
 * synchronously (as cdktf's synth runs) until the test, having sent its signal, creates `go`.
 */
const CHILD = `
const { existsSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { synthesizeAtomically } = require(${JSON.stringify(join(ROOT, "lib/synth/atomic-synth.ts"))});
const [outdir, go] = process.argv.slice(2);
synthesizeAtomically(outdir, (tmp) => {
  writeFileSync(join(tmp, "started"), "");
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(go)) Atomics.wait(pause, 0, 0, 10);
  writeFileSync(join(tmp, "manifest.json"), "{}\\n");
});
`;

test.each([
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const)(
  "%s during a synth: exit %d, one line, no temporary folder left, the output whole",
  async (signal, code) => {
    const script = join(scratch, "child.ts");
    writeFileSync(script, CHILD);
    const outdir = join(scratch, "cdktf.out");
    const go = join(scratch, "go");
    const child = spawn(
      process.execPath,
      ["-r", join(ROOT, "lib/transpile/register.cjs"), script, outdir, go],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on("exit", (status) => done(status)));
    // Wait for the synth to be inside its temporary folder, then interrupt it.
    while (!temporaryFolders().some((name) => existsSync(join(scratch, name, "started"))))
      await new Promise((wake) => setTimeout(wake, 10));
    child.kill(signal);
    writeFileSync(go, "");
    expect(await exited).toBe(code);
    expect(stderr).toBe(`interrupted (${signal}): no temporary folder left behind\n`);
    expect(temporaryFolders()).toEqual([]);
    expect(readdirSync(outdir).sort()).toEqual(["manifest.json", "started"]);
  },
);

test("the next synth sweeps the folders of synths that were killed, and leaves a running synth's alone", () => {
  // A process that has exited: its pid names a folder nobody is writing.
  const gone = spawnSync(process.execPath, ["-e", ""]).pid!;
  const leftovers = [
    `cdktf.out.tmp-${gone}-AbC123`,
    `cdktf.out.tmp-${gone}-AbC123.old`,
    // Earlier versions named no owner: only an interrupted synth of theirs leaves this form.
    "cdktf.out.tmp-Xy9zQ1",
  ];
  const running = `cdktf.out.tmp-${process.pid}-LiVe01`;
  for (const name of [...leftovers, running]) mkdirSync(join(scratch, name, "stacks"), { recursive: true });
  const run = spawnSync(
    process.execPath,
    ["-r", "./lib/transpile/register.cjs", "main.ts", "staging-stack"],
    {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: join(scratch, "cdktf.out"), MEDIA_DOWNLOADER_RELEASE: "" },
      encoding: "utf8",
    },
  );
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(readdirSync(scratch).sort()).toEqual(["cdktf.out", running].sort());
});
