import { TerraformDataSource, type TerraformProvider } from "cdktf";
import type { Construct } from "constructs";

export interface SopsFileConfig {
  /** Path of the encrypted file, as Terraform sees it (relative to the stack's working directory or absolute). */
  readonly sourceFile: string;
  /** Format of the file; the provider infers it from the extension when omitted. */
  readonly inputType?: "yaml" | "json" | "dotenv" | "ini" | "raw";
  readonly provider?: TerraformProvider;
}

/**
 * Hand-written binding of the `sops_file` data source. The provider flattens nested keys with dots,
 * so `apns: {team: x}` is read as `data["apns.team"]`.
 */
export class SopsFile extends TerraformDataSource {
  static readonly tfResourceType = "sops_file";

  constructor(
    scope: Construct,
    id: string,
    private readonly config: SopsFileConfig,
  ) {
    super(scope, id, {
      terraformResourceType: SopsFile.tfResourceType,
      terraformGeneratorMetadata: { providerName: "sops" },
      provider: config.provider,
    });
  }

  /** A reference to one decrypted value; it stays an expression in the synthesized JSON, never a literal. */
  value(key: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(key))
      throw new Error(`sops_file key ${JSON.stringify(key)}: expected letters, digits, _ . -`);
    return this.interpolationForAttribute(`data["${key}"]`) as unknown as string;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { source_file: this.config.sourceFile, input_type: this.config.inputType };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return {
      source_file: {
        value: this.config.sourceFile,
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      input_type: {
        value: this.config.inputType,
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };
  }
}
