import { writeFileSync } from "node:fs";

/** The child of plain-node.ts: `<module> <export> <JSON arguments> <result file>`. */
const [modulePath, exportName, args, output] = process.argv.slice(2);
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is named at run time
const loaded = require(modulePath) as Record<string, (...args: unknown[]) => unknown>;
const value = loaded[exportName](...(JSON.parse(args) as unknown[]));
writeFileSync(
  output,
  JSON.stringify(value, (_key, v: unknown) => (typeof v === "symbol" ? v.toString() : v)),
);
