import { runCli, UserError } from "../lib/cli/cli";
import { parseCommand } from "../lib/cli/args";
import { checkRelease } from "../lib/release";

const USAGE = "usage: npm run release:check -- <stack> [--release <id>]";

runCli(async () => {
  const args = parseCommand({
    usage: USAGE,
    help:
      "Lists every S3 object the stack's release needs at apply time (function zips, the us-east-1 edge\n" +
      "copy, layer zips, static files), read from the synthesized stack, and HEADs each one.\n" +
      "Prints what is missing and exits 1 when anything is. --release defaults to MEDIA_DOWNLOADER_RELEASE\n" +
      "or the configured artifacts.release. AWS_ENDPOINT_URL_S3 points it at an S3-compatible server.",
    options: { release: { type: "string" } },
  });
  if (!args) return;
  if (args.positionals.length !== 1) throw new UserError(`expected one stack\n${USAGE}`);
  const result = await checkRelease(args.positionals[0], args.values.release);
  for (const line of result.lines) process.stdout.write(`${line}\n`);
  if (!result.ok) process.exitCode = 1;
});
