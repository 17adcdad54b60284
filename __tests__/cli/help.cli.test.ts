import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseCommand } from "../../lib/cli/args";

const ROOT = resolve(__dirname, "../..");
const OUTDIR = resolve(ROOT, "cdktf.out.help-test-never-written");

/** Every npm script that runs one of our TypeScript entry points: the commands a user types. */
const COMMANDS = Object.entries(
  (JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
    .scripts,
)
  .map(
    ([name, script]) =>
      [name, /^node -r \.\/lib\/transpile\/register\.cjs (\S+\.ts)$/.exec(script)?.[1]] as const,
  )
  .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);

function run(file: string, args: string[]) {
  return spawnSync(process.execPath, ["-r", "./lib/transpile/register.cjs", file, ...args], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: OUTDIR },
    encoding: "utf8",
  });
}

test("the commands include synth, preview, secrets:check and bench", () => {
  expect(COMMANDS.map(([name]) => name)).toEqual(
    expect.arrayContaining(["synth", "preview", "secrets:check", "bench"]),
  );
});

describe.each(COMMANDS)("npm run %s", (name, file) => {
  test("--help prints its usage line first and exits 0", () => {
    const result = run(file, ["--help"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout.split("\n")[0]).toMatch(new RegExp(`^usage: npm run ${name}( |$)`));
    expect(existsSync(OUTDIR)).toBe(false);
  });

  test("an unknown flag is refused with one error line and the usage line, exit 1", () => {
    const result = run(file, ["--no-such-flag"]);
    expect(result.status).toBe(1);
    const [error, usage, ...rest] = result.stderr.split("\n");
    expect(error).toBe("error: Unknown option '--no-such-flag'");
    expect(usage).toMatch(new RegExp(`^usage: npm run ${name}( |$)`));
    expect(rest.join("")).toBe("");
  });
});

describe("parseCommand", () => {
  const spec = {
    usage: "usage: npm run demo -- [--deploy] <file>",
    options: { deploy: { type: "boolean" }, only: { type: "string", multiple: true } },
  } as const;

  test("returns flags and positionals", () => {
    const parsed = parseCommand(spec, ["a.json", "--deploy", "--only", "x", "--only", "y"]);
    expect(parsed?.positionals).toEqual(["a.json"]);
    expect(parsed?.values).toEqual({ deploy: true, only: ["x", "y"] });
  });

  test("a flag missing its value names the flag and ends with the usage", () => {
    expect(() => parseCommand(spec, ["--only"])).toThrow(
      "Option '--only <value>' argument missing\nusage: npm run demo -- [--deploy] <file>",
    );
  });

  test("positionals are refused when the command takes none", () => {
    expect(() => parseCommand({ ...spec, positionals: false }, ["extra"])).toThrow(
      /^Unexpected argument 'extra'.*\nusage: npm run demo/,
    );
  });
});
