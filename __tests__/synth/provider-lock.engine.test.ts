import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dirHash1, platform } from "../../lib/engine/mirror";
import { chooseProviderSource } from "../../lib/engine/source";
import { lockBlocks, providerName, readProviderLock } from "../../lib/synth/provider-lock";
import { AWS_PROVIDER_VERSION } from "../../stacks/requirements";

/**
 * The committed lock file against the provider package itself (provider-lock.test.ts checks its form):
 * hashing the package reads the whole provider binary, so it runs with the engine suites.
 */
const committed = lockBlocks(readProviderLock());

// The hash a registry install of linux_amd64 must match, checked against the package itself where a
// mirror holds it (this project's machines); elsewhere OpenTofu checks it at every CI init.
const source = (() => {
  try {
    return chooseProviderSource(process.env);
  } catch {
    return { kind: "registry" as const };
  }
})();
const mirrorPackage =
  source.kind === "mirror"
    ? source.packages.find((p) => p.version === AWS_PROVIDER_VERSION && p.layout === "unpacked")
    : undefined;
(mirrorPackage ? test : test.skip)(
  `the committed lock file records the h1 of the mirror's hashicorp/aws ${AWS_PROVIDER_VERSION} package for ${platform()}`,
  async () => {
    const memo = mkdtempSync(join(tmpdir(), "lock-hash-"));
    try {
      const hash = await dirHash1(mirrorPackage!.path, join(memo, "checksums.json"));
      const aws = committed.find((b) => providerName(b.address) === "hashicorp/aws")!;
      expect(aws.text).toContain(`"${hash}"`);
    } finally {
      rmSync(memo, { recursive: true, force: true });
    }
  },
);
