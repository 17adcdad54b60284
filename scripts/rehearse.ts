import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { runRehearsal } from "../lib/rehearse/command";

const USAGE = "usage: npm run rehearse -- <stack> --state <legacy.tfstate> [--keep <dir>] [--endpoint <url>]";

/**
 * `npm run rehearse -- <stack> --state <file>`: the adoption of a legacy state rehearsed offline, against an
 * emulated account this command starts and stops (lib/rehearse). Never reads AWS credentials.
 */
runCli(async () => {
  const parsed = parseCommand({
    usage: USAGE,
    help:
      "Creates every object of the legacy state in an emulated AWS account (moto on loopback), then runs the\n" +
      "README's adoption runbook against it: plan with refresh, plan:check, apply, refresh plan.\n" +
      "  --state <file>  the legacy state (e.g. `tofu state pull` output)\n" +
      "  --keep <dir>      keep the working files (plans, states) in this directory\n" +
      "  --endpoint <url>  use an emulator already running on loopback instead of starting one",
    options: { state: { type: "string" }, keep: { type: "string" }, endpoint: { type: "string" } },
  });
  if (!parsed) return;
  const [stack, ...extra] = parsed.positionals;
  if (!stack || extra.length > 0) throw new UserError(`expected exactly one stack\n${USAGE}`);
  if (!parsed.values.state) throw new UserError(`--state <file> is required\n${USAGE}`);
  const workDir = parsed.values.keep ?? mkdtempSync(join(tmpdir(), "rehearse-"));
  try {
    const ok = await runRehearsal({
      stack,
      stateFile: parsed.values.state,
      workDir,
      endpoint: parsed.values.endpoint,
      write: (l) => process.stdout.write(`${l}\n`),
    });
    if (!ok) process.exitCode = 1;
  } finally {
    if (!parsed.values.keep) rmSync(workDir, { recursive: true, force: true });
  }
});
