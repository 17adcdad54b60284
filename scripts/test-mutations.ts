import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { MUTATIONS } from "../lib/mutation/mutations";
import { createWorkspace, runMutations, summarize } from "../lib/mutation/runner";

/** `npm run test:mutations [-- <id> ...]`: plants each regression of lib/mutation/mutations.ts in a copy. */
runCli(() => {
  const parsed = parseCommand({
    usage: "usage: npm run test:mutations -- [<mutation id> ...] [--list] [--keep]",
    help:
      "Applies each planted one-line regression of lib/mutation/mutations.ts to a temporary copy of the\n" +
      "working tree (sharing node_modules), runs its test files with jest --ci, and reports it as killed,\n" +
      "caught only by snapshots, survived, or stale. Exits 1 unless every mutation is killed.\n" +
      "  --list  print the mutations and exit\n  --keep  keep the temporary copy",
    options: { list: { type: "boolean" }, keep: { type: "boolean" } },
  });
  if (!parsed) return;
  const ids = parsed.positionals;
  const unknown = ids.filter((id) => !MUTATIONS.some((m) => m.id === id));
  if (unknown.length > 0) {
    throw new UserError(`unknown mutation ${unknown.map((id) => `'${id}'`).join(", ")}; see --list`);
  }
  const selected = ids.length > 0 ? MUTATIONS.filter((m) => ids.includes(m.id)) : MUTATIONS;
  if (parsed.values.list) {
    for (const m of selected) process.stdout.write(`${m.id}: ${m.property} (${m.file})\n`);
    return;
  }
  const dir = createWorkspace(resolve(__dirname, ".."));
  try {
    process.stdout.write(`${selected.length} mutations in ${dir}\n`);
    const results = runMutations(dir, selected, (r) => process.stdout.write(`  ${r.outcome}: ${r.id}\n`));
    const { text, ok } = summarize(results, selected);
    process.stdout.write(`${text}\n`);
    if (!ok) process.exitCode = 1;
  } finally {
    if (!parsed.values.keep) rmSync(dir, { recursive: true, force: true });
  }
});
