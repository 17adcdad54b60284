import { AWS_PROVIDER_VERSION } from "../../stacks/requirements";
import { SOPS_PROVIDER_VERSION } from "../../stacks/sops/provider";
import {
  lockBlocks,
  lockFileFor,
  providerName,
  readProviderLock,
  requiredProviders,
  unlockedProviders,
} from "../../lib/synth/provider-lock";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The committed provider lock file and the per-stack lock the synth derives from it. */

const block = (address: string, version: string, hash: string) =>
  `provider "${address}" {\n  version     = "${version}"\n  constraints = "${version}"\n  hashes = [\n    "${hash}",\n  ]\n}`;
const AWS = block("registry.opentofu.org/hashicorp/aws", "5.100.0", "h1:aaa=");
const SOPS = block("registry.opentofu.org/carlpett/sops", "1.2.1", "h1:bbb=");
const LOCK = `# header\n\n${AWS}\n\n${SOPS}\n`;

describe("a stack's lock holds exactly the providers it requires", () => {
  test("blocks are read in order, with their addresses", () => {
    expect(lockBlocks(LOCK)).toEqual([
      { address: "registry.opentofu.org/hashicorp/aws", text: AWS },
      { address: "registry.opentofu.org/carlpett/sops", text: SOPS },
    ]);
  });

  test("providers are named namespace/type, with or without a host", () => {
    expect(providerName("registry.opentofu.org/hashicorp/aws")).toBe("hashicorp/aws");
    expect(providerName("carlpett/sops")).toBe("carlpett/sops");
    expect(
      requiredProviders({
        terraform: {
          required_providers: { sops: { source: "carlpett/sops" }, aws: { source: "hashicorp/aws" } },
        },
      }),
    ).toEqual(["carlpett/sops", "hashicorp/aws"]);
  });

  test("an aws-only stack (the bootstrap) gets the aws block only: a read-only lock may name nothing else", () => {
    const text = lockFileFor(LOCK, ["hashicorp/aws"]);
    expect(lockBlocks(text).map((b) => b.text)).toEqual([AWS]);
    expect(text).toMatch(/^# This file is maintained automatically by "tofu init"\./);
    expect(lockBlocks(lockFileFor(LOCK, ["carlpett/sops", "hashicorp/aws"]))).toHaveLength(2);
  });
});

describe("the committed lock file", () => {
  const committed = lockBlocks(readProviderLock());

  test("is OpenTofu's (the engine CI runs with -lockfile=readonly), one block per provider", () => {
    expect(committed.length).toBeGreaterThan(0);
    for (const { address } of committed) expect(address).toMatch(/^registry\.opentofu\.org\//);
    expect(new Set(committed.map((b) => b.address)).size).toBe(committed.length);
  });

  test("locks the versions the stacks pin", () => {
    const pins: Record<string, string> = {
      "hashicorp/aws": AWS_PROVIDER_VERSION,
      "carlpett/sops": SOPS_PROVIDER_VERSION,
    };
    for (const { address, text } of committed) {
      const pin = pins[providerName(address)];
      expect([address, /version\s+=\s+"([^"]+)"/.exec(text)?.[1]]).toEqual([address, pin]);
      expect([address, /constraints\s+=\s+"([^"]+)"/.exec(text)?.[1]]).toEqual([address, pin]);
    }
  });
});

test("a stack directory's unlocked providers are named before init -lockfile=readonly would refuse them", () => {
  const dir = mkdtempSync(join(tmpdir(), "unlocked-"));
  try {
    writeFileSync(
      join(dir, "cdk.tf.json"),
      JSON.stringify({
        terraform: {
          required_providers: { aws: { source: "hashicorp/aws" }, sops: { source: "carlpett/sops" } },
        },
      }),
    );
    expect(unlockedProviders(dir)).toEqual(["carlpett/sops", "hashicorp/aws"]);
    writeFileSync(join(dir, ".terraform.lock.hcl"), lockFileFor(LOCK, ["hashicorp/aws"]));
    expect(unlockedProviders(dir)).toEqual(["carlpett/sops"]);
    writeFileSync(join(dir, ".terraform.lock.hcl"), LOCK);
    expect(unlockedProviders(dir)).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
