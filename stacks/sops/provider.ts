import { TerraformProvider } from "cdktf";
import type { Construct } from "constructs";

/** carlpett/sops, pinned: the only provider besides hashicorp/aws. */
export const SOPS_PROVIDER_SOURCE = "carlpett/sops";
export const SOPS_PROVIDER_VERSION = "1.2.1";

export interface SopsProviderConfig {
  /** Provider alias, for a second configuration. */
  readonly alias?: string;
}

/**
 * Hand-written binding of the carlpett/sops provider: `cdktf get` needs the registry, which this
 * project's machines cannot reach. The provider block has no arguments besides the meta-argument alias.
 */
export class SopsProvider extends TerraformProvider {
  static readonly tfResourceType = "sops";

  constructor(scope: Construct, id: string, config: SopsProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: SopsProvider.tfResourceType,
      terraformGeneratorMetadata: { providerName: "sops", providerVersion: SOPS_PROVIDER_VERSION },
      terraformProviderSource: `${SOPS_PROVIDER_SOURCE}`,
    });
    this.alias = config.alias;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return {};
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return {};
  }
}
