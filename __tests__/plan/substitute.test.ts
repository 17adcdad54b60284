import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { substituteSecrets, writeSubstitutedStack } from "../../lib/plan/substitute";
import { lockBlocks } from "../../lib/synth/provider-lock";
import type { StackJson as EngineStackJson } from "../../lib/engine/working-copy";
import { synthStack } from "../helpers/synth";

/** Production planned in a PR: real backend and providers, fake secrets. */
describe.each(["staging-stack", "prod-stack"] as const)("%s with substituted secrets", (id) => {
  const synthesized = synthStack(id) as unknown as EngineStackJson;
  const { main, fakeSecrets, replacedKeys } = substituteSecrets(id, synthesized);
  const text = JSON.stringify(main);

  test("keeps the synthesized S3 backend and aws providers (no fake credentials, account check kept)", () => {
    expect(main.terraform?.backend).toEqual(synthesized.terraform?.backend);
    expect(Object.keys(main.terraform?.backend as object)).toEqual(["s3"]);
    expect(main.provider?.aws).toEqual(synthesized.provider?.aws);
    expect(text).not.toMatch(/access_key|skip_credentials_validation/);
  });

  test("reads no secret: no sops provider, data source or reference; fake values instead", () => {
    expect(text).not.toMatch(/data\.sops_file|carlpett\/sops|"sops"/);
    expect(main.terraform?.required_providers).not.toHaveProperty("sops");
    expect(replacedKeys.length).toBeGreaterThan(0);
    for (const values of Object.values(fakeSecrets.locals))
      for (const [key, value] of Object.entries(values)) expect(value).toBe(`FAKE-TEST-VALUE-${key}`);
  });

  test("the copy's lock file keeps the aws block and drops sops, which the copy no longer requires", () => {
    const aws = 'provider "registry.opentofu.org/hashicorp/aws" {\n  version = "5.100.0"\n}';
    const sops = 'provider "registry.opentofu.org/carlpett/sops" {\n  version = "1.2.1"\n}';
    const dir = mkdtempSync(join(tmpdir(), "substituted-"));
    try {
      writeSubstitutedStack(dir, { main, fakeSecrets, replacedKeys }, `${aws}\n\n${sops}\n`);
      const lock = readFileSync(join(dir, ".terraform.lock.hcl"), "utf8");
      expect(lockBlocks(lock).map((b) => b.text)).toEqual([aws]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
