import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { change, first, plan } from "./plan-fixtures";

describe("npm run plan:check (the command)", () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-check-"));
  const cli = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [
        "-r",
        require.resolve("../../lib/transpile/register.cjs"),
        join(__dirname, "..", "..", "scripts", "plan-check.ts"),
        ...args,
        ...(args[0]?.startsWith("--") ? [] : ["--stack", first.stack]),
      ],
      {
        encoding: "utf8",
        cwd: dir,
      },
    );
  const file = (name: string, content: string) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };

  test("exit 1 naming the refused address; exit 0 with the audit line when allowed", () => {
    const p = file("plan.json", JSON.stringify(plan(change("aws_dynamodb_table.t", ["delete"]))));
    const refused = cli(p);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^refused: aws_dynamodb_table\.t: delete /m);
    const allowed = cli(p, "--allow", "aws_dynamodb_table.t");
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toMatch(/^audit: allowed by --allow: aws_dynamodb_table\.t: delete /m);
  });

  test.each([
    [
      "not JSON",
      "{",
      /^error: .*bad\.json: not JSON \(expected the output of `terraform show -json <planfile>`\)\n$/,
    ],
    ["JSON that is not a plan", '{"version":4,"resources":[]}', /^error: .*bad\.json: not a plan /],
  ])("%s: one line, exit 1, nothing written", (_label, content, message) => {
    const p = file("bad.json", content);
    const before = readdirSync(dir).sort();
    const result = cli(p);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  test("a missing file, an unknown flag and an unknown --allow are one error each", () => {
    expect(cli(join(dir, "missing.json")).stderr).toMatch(/^error: .*missing\.json: cannot read the file\n$/);
    const flag = cli("--bogus");
    expect(flag.status).toBe(1);
    expect(flag.stderr).toMatch(/^error: Unknown option '--bogus'\nusage: npm run plan:check/);
    const p = file("plan2.json", JSON.stringify(plan(change("aws_dynamodb_table.t", ["delete"]))));
    expect(cli(p, "--allow", "aws_dynamodb_table.x").stderr).toBe(
      "error: --allow aws_dynamodb_table.x: no such address in the plan\n",
    );
  });
});
