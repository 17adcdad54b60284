import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { TIERS, assignTiers, findTestFiles } from "../../lib/tiers/tiers";

const ROOT = resolve(__dirname, "../..");
const assignment = assignTiers(findTestFiles(ROOT));

// jest's projects come from the same table (jest.config.cjs): each selects exactly its tier's files.
// tiers.test.ts checks the table itself; this runs jest, one process per tier.
test.each(TIERS.map((t) => t.name))("jest --selectProjects %s lists exactly that tier's files", (name) => {
  const listed = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/jest/bin/jest.js"), "--listTests", "--json", "--selectProjects", name],
    // This file's TMPDIR (setup.ts), so jest's haste cache is removed with it.
    { cwd: ROOT, encoding: "utf8", env: { ...process.env } },
  );
  expect(listed.status).toBe(0);
  const paths = (JSON.parse(listed.stdout) as string[]).map((p) => p.slice(ROOT.length + 1)).sort();
  expect(paths).toEqual(assignment.byTier.get(name));
});
