import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config";
import { secretKeys, type MediaDownloaderSecrets } from "../media-downloader/secrets";
import { SopsProvider } from "./sops/provider";
import { SopsFile } from "./sops/sops-file";

/**
 * Reads the environment's own SOPS file (and no other) through the sops provider. The path is made
 * relative to the stack's synthesized directory (cdktf.out/stacks/<id>), where Terraform runs.
 */
export function environmentSecrets(scope: Construct, config: EnvironmentConfig): MediaDownloaderSecrets {
  const provider = new SopsProvider(scope, "sops");
  const file = new SopsFile(scope, "secrets", {
    sourceFile: `\${path.root}/../../../${config.secretsFile}`,
    provider,
  });
  const keys = secretKeys(config.apns.secretPath);
  return Object.fromEntries(
    Object.entries(keys).map(([role, key]) => [role, file.value(key)]),
  ) as unknown as MediaDownloaderSecrets;
}
