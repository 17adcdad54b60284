import { spawnSync } from "node:child_process";
import { REPO_ROOT, TEST_KEY_FILE, committedSampleFiles, itWhileSamplesCommitted, literal } from "./helpers";

/** Runs `npm run secrets:check` (its command, without npm) with a clean key environment. */
function secretsCheck(args: string[], env: Record<string, string> = {}) {
  const clean = { ...process.env };
  delete clean.SOPS_AGE_KEY;
  delete clean.SOPS_AGE_KEY_FILE;
  const result = spawnSync(
    process.execPath,
    ["-r", "./lib/transpile/register.cjs", "scripts/secrets-check.ts", ...args],
    {
      cwd: REPO_ROOT,
      env: { ...clean, ...env },
      encoding: "utf8",
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run secrets:check", () => {
  it("passes on the committed files without a key", () => {
    const { status, stdout } = secretsCheck([]);
    expect(status).toBe(0);
    expect(stdout).toContain("no key given: MACs not verified");
  });

  itWhileSamplesCommitted("warns loudly on stderr, once per file, about the sample recipients", () => {
    const { status, stdout, stderr } = secretsCheck([]);
    expect(status).toBe(0);
    const warnings = stderr.split("\n").filter((l) => l.startsWith("!!! WARNING:"));
    expect(warnings).toEqual(committedSampleFiles().map((file) => expect.stringContaining(file)));
    expect(stdout).toContain("no key given: MACs not verified");
  });

  itWhileSamplesCommitted("verifies both MACs with SOPS_AGE_KEY_FILE", () => {
    const { status, stdout } = secretsCheck([], { SOPS_AGE_KEY_FILE: TEST_KEY_FILE });
    expect(status).toBe(0);
    for (const file of committedSampleFiles()) expect(stdout).toContain(`${file}: decrypted with the key of`);
  });

  itWhileSamplesCommitted("fails under --deploy, one line per file, and never prints a key", () => {
    const { status, stderr } = secretsCheck(["--deploy"], { SOPS_AGE_KEY_FILE: TEST_KEY_FILE });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^error: secrets check failed:$/m);
    for (const file of committedSampleFiles()) {
      expect(stderr).toMatch(new RegExp(`^  - ${literal(file)}: encrypted to the SAMPLE recipient`, "m"));
    }
    expect(stderr).not.toContain("AGE-SECRET-KEY");
  });

  it("rejects a malformed SOPS_AGE_KEY without echoing it", () => {
    const { status, stderr } = secretsCheck([], { SOPS_AGE_KEY: "AGE-SECRET-KEY-1NOTAKEY" });
    expect(status).toBe(1);
    expect(stderr).toContain("SOPS_AGE_KEY: line 1 is not an age X25519 identity");
    expect(stderr).not.toContain("NOTAKEY");
  });
});
