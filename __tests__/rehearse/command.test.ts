import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvironments } from "../../config";
import { REPO_ROOT } from "../../lib/engine";
import { runRehearsal } from "../../lib/rehearse/command";
import { ADOPTION_TABLES } from "../../stacks/adoption/tables";

/** Bad input to `npm run rehearse` is refused before anything starts: no emulator, no engine. */
const dir = mkdtempSync(join(tmpdir(), "rehearse-cli-"));
const stack = Object.values(loadEnvironments()).find((c) => ADOPTION_TABLES[c.environment])!.stack;
const fixture = join(REPO_ROOT, "__tests__", "fixtures", "legacy-state", "staging.tfstate.json");
const notState = join(dir, "plan.json");
writeFileSync(notState, JSON.stringify({ format_version: "1.2", resource_changes: [] }));
const attempt = (options: Partial<Parameters<typeof runRehearsal>[0]>) =>
  runRehearsal({ stack, stateFile: fixture, workDir: join(dir, "work"), write: () => {}, ...options });

describe("npm run rehearse refuses bad input with one line", () => {
  test("an unknown stack, naming the known ones", async () => {
    await expect(attempt({ stack: "nope-stack" })).rejects.toThrow(
      /^unknown stack 'nope-stack' \(expected one of .*staging-stack/,
    );
  });
  test("a missing state file", async () => {
    await expect(attempt({ stateFile: join(dir, "missing.tfstate") })).rejects.toThrow(
      /missing\.tfstate: cannot read the file/,
    );
  });
  test("a file that is not a state", async () => {
    await expect(attempt({ stateFile: notState })).rejects.toThrow(/plan\.json: not a state file/);
  });
  test.each([
    "http://10.0.0.5:5000",
    "https://apigateway.us-west-2.amazonaws.com",
    "http://127.0.0.1.example.com:80",
  ])("an endpoint off loopback: %s", async (endpoint) => {
    await expect(attempt({ endpoint })).rejects.toThrow(
      /--endpoint .* is not on loopback \(127\.0\.0\.0\/8\): refusing to use it/,
    );
  });

  test("the command prints error: <line>, no stack trace, and exits 1", () => {
    const result = spawnSync(
      process.execPath,
      ["-r", "./lib/transpile/register.cjs", "scripts/rehearse.ts", stack, "--state", notState],
      {
        cwd: REPO_ROOT,
        encoding: "utf8",
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `error: ${notState}: not a state file (expected "version": 4 and a "resources" list, the output of \`tofu state pull\`)`,
    );
  });
});
