import type { TerraformStack } from "cdktf";

/** Exact provider pin: @cdktf/provider-aws 20.1.0 is generated from hashicorp/aws 5.100.0. */
export const AWS_PROVIDER_VERSION = "5.100.0";

/**
 * The engines the JSON is written for: S3-native locking (`use_lockfile`) needs Terraform 1.10+ or
 * OpenTofu 1.10+. Both engines check `required_version` against their own version at init and plan.
 */
export const ENGINE_VERSION_CONSTRAINT = ">= 1.10.0";

/** The terraform block's version requirements, one place for every stack. */
export function declareRequirements(stack: TerraformStack): void {
  stack.addOverride("terraform.required_version", ENGINE_VERSION_CONSTRAINT);
  stack.addOverride("terraform.required_providers.aws", {
    source: "hashicorp/aws",
    version: AWS_PROVIDER_VERSION,
  });
}
