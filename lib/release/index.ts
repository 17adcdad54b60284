import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { UserError } from "../cli/cli";
import { ALLOW_SAMPLE_SECRETS_ENV } from "../sops/samples";
import { checkObjects, formatReport, type ObjectStatus } from "./check";
import { releaseObjects, type ReleaseObject } from "./objects";

export { checkObjects, formatReport, type ObjectStatus } from "./check";
export { releaseObjects, type ReleaseObject } from "./objects";

const REPO_ROOT = resolve(__dirname, "..", "..");
/** The Release construct's placeholder when no release is configured (media-downloader/functions/release.ts). */
const UNRELEASED_SEGMENT = "/unreleased/";

export interface ReleaseCheckResult {
  readonly stack: string;
  readonly release: string;
  readonly statuses: readonly ObjectStatus[];
  readonly lines: readonly string[];
  readonly ok: boolean;
}

/**
 * Synthesizes one stack with the app itself (main.ts, into a temporary directory) for `release` (or the
 * configured one) and returns the objects it reads from S3 at apply time. The synth only reads S3 keys:
 * nothing is decrypted and the output is deleted.
 */
export function stackReleaseObjects(
  stack: string,
  release: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { release: string; objects: ReleaseObject[] } {
  const outdir = mkdtempSync(join(tmpdir(), "release-check-"));
  try {
    const synthEnv: NodeJS.ProcessEnv = { ...env, CDKTF_OUTDIR: outdir, [ALLOW_SAMPLE_SECRETS_ENV]: "1" };
    if (release) synthEnv.MEDIA_DOWNLOADER_RELEASE = release;
    delete synthEnv.CDKTF_TARGET_STACK_ID;
    const result = spawnSync(process.execPath, ["-r", "./lib/transpile/register.cjs", "main.ts", stack], {
      cwd: REPO_ROOT,
      env: synthEnv,
      encoding: "utf8",
    });
    if (result.status !== 0)
      throw new UserError(result.stderr.trim().replace(/^error: /, "") || "synth failed");
    const file = join(outdir, "stacks", stack, "cdk.tf.json");
    if (!existsSync(file)) throw new UserError(`synth wrote no ${stack}`);
    const objects = releaseObjects(JSON.parse(readFileSync(file, "utf8")));
    if (objects.some((o) => o.key.includes(UNRELEASED_SEGMENT)))
      throw new UserError(
        `${stack}: no release configured; pass --release <id> or set MEDIA_DOWNLOADER_RELEASE`,
      );
    const ids = new Set(objects.map((o) => /releases\/([^/]+)\//.exec(o.key)?.[1]).filter(Boolean));
    return { release: release ?? [...ids].join(","), objects };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** `release:check`: lists the stack's release objects and HEADs each. */
export async function checkRelease(
  stack: string,
  release: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ReleaseCheckResult> {
  const found = stackReleaseObjects(stack, release, env);
  const statuses = await checkObjects(found.objects, env);
  return {
    stack,
    release: found.release,
    statuses,
    lines: formatReport(stack, found.release, statuses),
    ok: statuses.every((s) => s.status === "present"),
  };
}
