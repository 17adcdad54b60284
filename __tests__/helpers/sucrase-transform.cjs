// Jest transform for TypeScript through sucrase, the loader `npm run synth` uses: transpile only (no type
// checking: `npm test` runs `tsc --noEmit` once for the whole tree), and much cheaper per worker than
// ts-jest (no longer a dependency), which loaded the TypeScript compiler in every worker process.
const { createHash } = require("node:crypto");
const { readFileSync } = require("node:fs");
const { transform } = require("sucrase");
const { version } = require("sucrase/package.json");

const SELF = readFileSync(__filename, "utf8");

module.exports = {
  process(source, filename) {
    const { code, sourceMap } = transform(source, {
      transforms: ["typescript", "imports", "jest"],
      filePath: filename,
      sourceMapOptions: { compiledFilename: filename },
    });
    return { code, map: sourceMap };
  },
  getCacheKey(source, filename) {
    return createHash("sha256").update(version).update(SELF).update(filename).update(source).digest("hex");
  },
};
