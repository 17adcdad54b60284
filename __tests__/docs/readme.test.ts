import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The README as the daily guide: what it promises is checked here, so it cannot drift from the repository. */
const ROOT = resolve(__dirname, "../..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const SCRIPTS = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
    .scripts,
);

test("no line is longer than 120 characters (tables included: prettier pads them to their widest cell)", () => {
  const long = README.split("\n")
    .map((line, i) => ({ line: i + 1, length: line.length }))
    .filter((l) => l.length > 120);
  expect(long).toEqual([]);
});

test("its first two commands are the fresh-machine ones: install and synth, then the tests", () => {
  const block = /^```sh\n([^`]*)```/m.exec(README)?.[1] ?? "";
  const commands = block
    .split("\n")
    .slice(0, 2)
    .map((line) => line.replace(/\s+#.*$/, ""));
  expect(commands).toEqual(["npm ci && npm run synth", "npm test"]);
  expect(README.indexOf("```sh")).toBeLessThan(README.indexOf("\n## "));
});

test("every npm script it names exists", () => {
  const named = [...README.matchAll(/npm run (?:-s )?([\w:-]+)/g)]
    .map((m) => m[1])
    .filter((n) => n !== "<command>");
  expect(named.length).toBeGreaterThan(0);
  expect(named.filter((name) => !SCRIPTS.includes(name))).toEqual([]);
});

test("every file and folder it points to exists (the runbooks moved to docs/)", () => {
  const paths = [
    ...README.matchAll(
      /`((?:docs|config|stacks|lib|secrets|media-downloader|bootstrap|__tests__|\.github)\/[\w./-]*)`/g,
    ),
  ]
    .map((m) => m[1])
    .filter((path) => !path.includes("<"));
  expect(paths).toEqual(
    expect.arrayContaining(["docs/bootstrap.md", "docs/adoption.md", "docs/engines.md", "docs/design.md"]),
  );
  expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
});

test("it quotes no counts that could go stale (resources, tests, differences): those are measured, not written", () => {
  expect(
    README.match(
      /\b\d[\d,]* (?:AWS )?(?:resources?|tests?|suites?|differences|alarms|functions|seconds|s)\b/gi,
    ),
  ).toBeNull();
});

test("every docs/ file is listed under More", () => {
  const more = README.slice(README.indexOf("\n## More"));
  for (const file of readdirSync(join(ROOT, "docs")).filter((name) => name.endsWith(".md")))
    expect(more).toContain(`docs/${file}`);
});

test("as it says, cdktf's pseudo-terminal module loads without its held-back install script", () => {
  const prebuilds = join(ROOT, "node_modules/@cdktf/node-pty-prebuilt-multiarch/prebuilds");
  // Only where the package ships a prebuilt binary (the README names the platforms).
  if (!existsSync(join(prebuilds, `${process.platform}-${process.arch}`))) return;
  expect(() => require("@cdktf/node-pty-prebuilt-multiarch")).not.toThrow(); // eslint-disable-line @typescript-eslint/no-require-imports
});
