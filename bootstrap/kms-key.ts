import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";

export interface BucketKeyProps {
  /** Alias name without `alias/`. */
  readonly alias: string;
  readonly description: string;
  readonly provider: AwsProvider;
}

/**
 * A customer-managed key for one region's buckets, rotation on. No key policy is written: the default
 * one delegates to IAM, so the deploy and plan policies (kms:ViaService and the object's encryption
 * context) decide who may use it.
 */
export class BucketKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: BucketKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      provider: props.provider,
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, "alias", {
      name: `alias/${props.alias}`,
      targetKeyId: this.key.keyId,
      provider: props.provider,
    });
  }
}
