import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Backend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { ConfigError, type EnvironmentConfig } from "../config";
import { MediaDownloader } from "../media-downloader";
import { requiredTags } from "../policies/context";
import { applyAdoption } from "./adoption/adoption-table";
import { ADOPTION_TABLES } from "./adoption/tables";
import { environmentSecrets } from "./environment-secrets";
import { declareRequirements } from "./requirements";

/**
 * The shell every environment shares: S3 state backend, the AWS providers, the secrets, then one
 * MediaDownloader. Everything environment-specific arrives in `config`.
 */
export class MediaDownloaderStack extends TerraformStack {
  readonly workload: MediaDownloader;

  constructor(
    scope: Construct,
    id: string,
    readonly config: EnvironmentConfig,
    /** `adopt: false` leaves out the adoption table's moved/removed blocks (envs:diff compares shapes, not state history). */
    options: { readonly adopt?: boolean } = {},
  ) {
    super(scope, id);

    new S3Backend(this, {
      bucket: config.backend.bucket,
      key: config.backend.key,
      region: config.backend.region,
      encrypt: true,
    });
    // cdktf 0.21 has no typed field for S3-native locking (Terraform 1.10+, OpenTofu 1.10+).
    this.addOverride("terraform.backend.s3.use_lockfile", config.backend.useLockfile);

    const providerProps = {
      region: config.aws.region,
      allowedAccountIds: [config.aws.accountId],
      assumeRole: config.aws.assumeRoleArn
        ? [{ roleArn: config.aws.assumeRoleArn, sessionName: `cdktf-${config.environment}` }]
        : undefined,
      // The tags the required-tags policy checks, so the two can never disagree.
      defaultTags: [{ tags: { ...requiredTags(config) } }],
    };
    const aws = new AwsProvider(this, "aws", providerProps);
    // Lambda@Edge functions must live in us-east-1.
    const usEast1 = new AwsProvider(this, "aws-us-east-1", {
      ...providerProps,
      region: "us-east-1",
      alias: "us_east_1",
    });
    declareRequirements(this);

    this.workload = new MediaDownloader(this, "media-downloader", {
      config,
      providers: { regional: aws, usEast1 },
      secrets: environmentSecrets(this, config),
    });

    const unused = this.workload.naming.unusedOverrides();
    if (unused.length > 0)
      throw new ConfigError(
        unused.map(
          (base) =>
            `config/${config.environment}: naming.overrides.${base}: no resource is named from ${base}`,
        ),
      );

    // The legacy HCL's state at this key: moved/removed blocks from the environment's adoption table.
    const adoption = ADOPTION_TABLES[config.environment];
    if (adoption && options.adopt !== false)
      applyAdoption(this, `stacks/adoption/tables/${config.environment}.ts`, adoption);
  }
}
