import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config";
import { DeployGuard } from "../media-downloader/guard/deploy-guard";
import { secretKeys, type MediaDownloaderSecrets } from "../media-downloader/secrets";
import { ALLOW_SAMPLE_SECRETS_ENV } from "../lib/sops/samples";
import { sampleRecipientsOf, verifySecretsForSynth } from "../lib/sops/synth";
import { SopsProvider } from "./sops/provider";
import { SopsFile } from "./sops/sops-file";

/** The repository root: the nearest folder above this file with a package.json (also from compiled output). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * Reads the environment's own SOPS file (and no other) through the sops provider. The synth first checks
 * the file without any key (complete, every value encrypted, every key the construct reads present) and
 * fails with a SecretsError otherwise. A file encrypted to the sample recipients, whose private keys are
 * public, synthesizes but cannot be deployed: the plan stops at a guard.
 */
export function environmentSecrets(scope: Construct, config: EnvironmentConfig): MediaDownloaderSecrets {
  const root = repositoryRoot();
  verifySecretsForSynth(root, config);
  const samples = sampleRecipientsOf(join(root, config.secretsFile));
  const allowSamples = process.env[ALLOW_SAMPLE_SECRETS_ENV] === "1";
  new DeployGuard(scope, "secrets-guard", {
    value:
      samples.length === 0
        ? "own-recipients"
        : allowSamples
          ? "sample-recipients-allowed"
          : "sample-recipients",
    refuse: ["sample-recipients"],
    message:
      `${config.secretsFile} is encrypted to the sample age recipient ${samples.join(", ")}, whose private key ` +
      "is public: it must not be deployed. Encrypt the file to your own recipients (secrets/README.md) and synth again.",
  });

  const provider = new SopsProvider(scope, "sops");
  // Terraform runs in cdktf.out/stacks/<id>: the path climbs back to the repository root.
  const file = new SopsFile(scope, "secrets", {
    sourceFile: `\${path.root}/../../../${config.secretsFile}`,
    provider,
  });
  const keys = secretKeys(config.apns.secretPath);
  return Object.fromEntries(
    Object.entries(keys).map(([role, key]) => [role, file.value(key)]),
  ) as unknown as MediaDownloaderSecrets;
}
