"use strict";
/**
 * `node -r ./lib/transpile/register.cjs <file>.ts`: runs TypeScript as sucrase/register/ts does (same
 * transforms, same inline source map), with each file's output cached in .build/transpile/ under a hash
 * of sucrase's version, the options, the path and the source. A warm run reads files instead of
 * transpiling them and does not load sucrase at all; a changed file is a new key, so a stale entry is
 * never read. Type checking stays with `npm run typecheck`.
 */
const { createHash } = require("node:crypto");
const { mkdirSync, renameSync, writeFileSync, readFileSync } = require("node:fs");
const { join } = require("node:path");
const { addHook } = require("pirates");

const ROOT = join(__dirname, "..", "..");
const CACHE = join(ROOT, ".build", "transpile");
const OPTIONS = { transforms: ["imports", "typescript"] };
const SALT = `${require("sucrase/package.json").version} ${JSON.stringify(OPTIONS)}\n`;

let sucrase;
function transpile(code, filePath) {
  sucrase ??= require("sucrase");
  const { code: out, sourceMap } = sucrase.transform(code, {
    ...OPTIONS,
    sourceMapOptions: { compiledFilename: filePath },
    filePath,
  });
  const map = Buffer.from(JSON.stringify(sourceMap)).toString("base64");
  return `${out}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${map}`;
}

addHook(
  (code, filePath) => {
    const key = createHash("sha256").update(SALT).update(filePath).update("\0").update(code).digest("hex");
    const file = join(CACHE, key.slice(0, 2), `${key}.js`);
    try {
      return readFileSync(file, "utf8");
    } catch {
      // Not cached yet: transpile below.
    }
    const out = transpile(code, filePath);
    try {
      mkdirSync(join(CACHE, key.slice(0, 2)), { recursive: true });
      // Written whole, then renamed: a concurrent reader sees the entry complete or not at all.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, out);
      renameSync(tmp, file);
    } catch {
      // A read-only checkout still runs; it only transpiles every time.
    }
    return out;
  },
  { exts: [".ts"], ignoreNodeModules: true },
);
