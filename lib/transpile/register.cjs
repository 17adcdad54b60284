"use strict";
/**
 * `node -r ./lib/transpile/register.cjs <file>.ts`: runs TypeScript as sucrase/register/ts does (same
 * transforms, same inline source map), with each file's output cached in .build/transpile/ under a hash
 * of sucrase's version, the options, the path and the source. A warm run reads files instead of
 * transpiling them and does not load sucrase at all; a changed file is a new key, so a stale entry is
 * never read, and a damaged one is rebuilt silently. Type checking stays with `npm run typecheck`; a
 * syntax error stops the command with one line (file:line:column).
 */
const { createHash } = require("node:crypto");
const { mkdirSync, renameSync, writeFileSync, readFileSync } = require("node:fs");
const { join, relative } = require("node:path");
const { compileFunction } = require("node:vm");
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

/**
 * A TypeScript syntax error as one line an editor can jump to: file:line:column, what the parser expected,
 * what to do. TypeScript's own parser names the mistake the way `npm run typecheck` does (sucrase often
 * reports the token after it); sucrase's position is the fallback. Named UserError: runCli prints it alone.
 */
function syntaxError(error, code, filePath) {
  let where = error.loc ? { line: error.loc.line, column: error.loc.column + 1 } : undefined;
  let what = String(error.message)
    .replace(/^Error transforming [^:]*: /, "")
    .replace(/ \(\d+:\d+\)$/, "");
  try {
    const ts = require("typescript");
    const { diagnostics } = ts.transpileModule(code, { fileName: filePath, reportDiagnostics: true });
    const first = diagnostics.find((d) => d.file && d.start !== undefined);
    if (first) {
      const at = first.file.getLineAndCharacterOfPosition(first.start);
      where = { line: at.line + 1, column: at.character + 1 };
      what = ts.flattenDiagnosticMessageText(first.messageText, " ");
    }
  } catch {
    // typescript is a dev dependency: without it, sucrase's own words.
  }
  const file = relative(process.cwd(), filePath) || filePath;
  const position = where ? `:${where.line}:${where.column}` : "";
  const result = new Error(
    `${file}${position}: syntax error: ${what.replace(/\.$/, "")}; fix it there and run again (npm run typecheck checks every file)`,
  );
  result.name = "UserError";
  return result;
}

/**
 * A syntax error met while main.ts (or a script) loads its imports is thrown outside runCli: print its
 * one line instead of node's stack trace. Any other uncaught error keeps node's behaviour (stack, exit 1).
 */
function reportWhenUncaught(error) {
  process.on("uncaughtException", (uncaught) => {
    if (uncaught === error) process.stderr.write(`error: ${error.message}\n`);
    else process.stderr.write(`${uncaught instanceof Error ? uncaught.stack : String(uncaught)}\n`);
    process.exit(1);
  });
}

// Every entry ends with this line, naming the sha256 of what precedes it: a truncated or corrupted entry
// (a full disk, a killed writer, an edit) fails the check and is rebuilt, never run as the source's code.
const SEAL = "\n//# transpile-cache sha256=";
const sealOf = (body) => createHash("sha256").update(body).digest("hex");

/** The cached output when the entry is whole, else undefined. */
function readEntry(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined; // Not cached yet.
  }
  const at = text.lastIndexOf(SEAL);
  if (at < 0) return undefined;
  const body = text.slice(0, at);
  return text.slice(at + SEAL.length) === sealOf(body) ? body : undefined;
}

addHook(
  (code, filePath) => {
    const key = createHash("sha256").update(SALT).update(filePath).update("\0").update(code).digest("hex");
    const file = join(CACHE, key.slice(0, 2), `${key}.js`);
    const cached = readEntry(file);
    if (cached !== undefined) return cached;
    let out;
    try {
      out = transpile(code, filePath);
      // sucrase passes some mistakes through (`a: 1,,`): compile as node will, so they are caught here too.
      compileFunction(out, ["exports", "require", "module", "__filename", "__dirname"], {
        filename: filePath,
      });
    } catch (error) {
      if (!(error instanceof SyntaxError) && !error.loc) throw error;
      const clean = syntaxError(error, code, filePath);
      reportWhenUncaught(clean);
      throw clean;
    }
    try {
      mkdirSync(join(CACHE, key.slice(0, 2)), { recursive: true });
      // Written whole, then renamed: a concurrent reader sees the entry complete or not at all.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${out}${SEAL}${sealOf(out)}`);
      renameSync(tmp, file);
    } catch {
      // A read-only checkout still runs; it only transpiles every time.
    }
    return out;
  },
  { exts: [".ts"], ignoreNodeModules: true },
);
