import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");

/** The register hook copied into a scratch checkout, so its cache (.build/transpile) is the scratch one. */
let repo: string;
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), "transpile-"));
  mkdirSync(join(repo, "lib", "transpile"), { recursive: true });
  copyFileSync(join(ROOT, "lib/transpile/register.cjs"), join(repo, "lib/transpile/register.cjs"));
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

// Prints its value and whether sucrase's transformer (not just its package.json) was loaded into this process.
const program = (value: string) =>
  `const value: string = ${JSON.stringify(value)};\n` +
  `console.log(value, Object.keys(require.cache).some((f) => f.includes("/node_modules/sucrase/dist/")));\n`;

function runTs(file: string) {
  const result = spawnSync(process.execPath, ["-r", "./lib/transpile/register.cjs", file], {
    cwd: repo,
    env: { ...process.env, NODE_PATH: join(ROOT, "node_modules") },
    encoding: "utf8",
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return result.stdout.trim();
}

const entries = () =>
  readdirSync(join(repo, ".build", "transpile"), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);

test("a file is transpiled once; the next run reads the cache and never loads sucrase", () => {
  writeFileSync(join(repo, "a.ts"), program("first"));
  expect(runTs("a.ts")).toBe("first true");
  expect(entries()).toHaveLength(1);
  expect(runTs("a.ts")).toBe("first false");
  expect(entries()).toHaveLength(1);
});

test("an edited file is transpiled again, never served stale", () => {
  writeFileSync(join(repo, "a.ts"), program("first"));
  expect(runTs("a.ts")).toBe("first true");
  writeFileSync(join(repo, "a.ts"), program("second"));
  expect(runTs("a.ts")).toBe("second true");
  expect(entries()).toHaveLength(2);
  expect(entries().every((name) => /^[0-9a-f]{64}\.js$/.test(name))).toBe(true);
});

test("the output is what sucrase/register/ts runs: same transforms, inline source map", () => {
  writeFileSync(join(repo, "a.ts"), program("first"));
  runTs("a.ts");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the reference transform
  const { transform } = require("sucrase") as typeof import("sucrase");
  const file = join(repo, "a.ts");
  const code = program("first");
  const expected = transform(code, {
    transforms: ["imports", "typescript"],
    sourceMapOptions: { compiledFilename: file },
    filePath: file,
  });
  const [entry] = readdirSync(join(repo, ".build", "transpile"), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
  const cached = readFileSync(entry, "utf8");
  expect(cached.startsWith(`${expected.code}\n//# sourceMappingURL=data:application/json;`)).toBe(true);
  const base64 = /base64,([A-Za-z0-9+/=]+)/.exec(cached)![1];
  const map = JSON.parse(Buffer.from(base64, "base64").toString("utf8"));
  expect(map).toEqual(expected.sourceMap);
});

const entryFiles = () =>
  readdirSync(join(repo, ".build", "transpile"), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

test.each([
  ["truncated", (text: string) => text.slice(0, Math.floor(text.length / 2))],
  ["overwritten", (text: string) => text.replace("console.log(value", "console.log(valu e")],
  ["emptied", () => ""],
])("a %s cache entry is rebuilt silently, never run as the source's code", (_, damage) => {
  writeFileSync(join(repo, "a.ts"), program("first"));
  expect(runTs("a.ts")).toBe("first true");
  const [entry] = entryFiles();
  writeFileSync(entry, damage(readFileSync(entry, "utf8")));
  // runTs asserts an empty stderr and exit 0; sucrase loaded again: the entry was rebuilt.
  expect(runTs("a.ts")).toBe("first true");
  expect(runTs("a.ts")).toBe("first false");
});

test("a syntax error is one line: file:line:column as TypeScript reports it, what to do; exit 1", () => {
  mkdirSync(join(repo, "config"));
  writeFileSync(join(repo, "config", "staging.ts"), 'export const staging = {\n  logLevel: "DEBUG",,\n};\n');
  writeFileSync(
    join(repo, "main.ts"),
    'import { staging } from "./config/staging";\nconsole.log(staging);\n',
  );
  const result = spawnSync(process.execPath, ["-r", "./lib/transpile/register.cjs", "main.ts"], {
    cwd: repo,
    env: { ...process.env, NODE_PATH: join(ROOT, "node_modules") },
    encoding: "utf8",
  });
  expect(result.stderr).toBe(
    "error: config/staging.ts:2:21: syntax error: Property assignment expected; fix it there and run again (npm run typecheck checks every file)\n",
  );
  expect(result.stdout).toBe("");
  expect(result.status).toBe(1);
});

test("any other uncaught error keeps node's stack trace and exit code", () => {
  writeFileSync(join(repo, "bad.ts"), "export {};\nconst a: number = 1;\nlet b = a +;\n");
  writeFileSync(join(repo, "main.ts"), 'try { require("./bad"); } catch {}\nthrow new Error("boom");\n');
  const result = spawnSync(process.execPath, ["-r", "./lib/transpile/register.cjs", "main.ts"], {
    cwd: repo,
    env: { ...process.env, NODE_PATH: join(ROOT, "node_modules") },
    encoding: "utf8",
  });
  expect(result.stderr).toMatch(/^Error: boom\n {4}at /);
  expect(result.status).toBe(1);
});
