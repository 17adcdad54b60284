import { Op, TerraformLocal, TerraformResource } from "cdktf";
import { Construct } from "constructs";

/**
 * Terraform's built-in `terraform_data` resource, declared directly: cdktf's DataResource adds a validation
 * that shells out to `terraform version` on every synth, which is slow and fails where only OpenTofu exists.
 */
class TerraformData extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly input: Record<string, string>,
    lifecycle: TerraformResource["lifecycle"],
  ) {
    super(scope, id, {
      terraformResourceType: "terraform_data",
      terraformGeneratorMetadata: { providerName: "terraform" },
      lifecycle,
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { input: this.input };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return { input: { value: this.input, isBlock: false, type: "map", storageClassType: "stringMap" } };
  }
}

export interface DeployGuardProps {
  /** The value the guard checks; recorded in state. */
  readonly value: string;
  /** Values that must refuse the plan. */
  readonly refuse: readonly string[];
  /** What the user sees when the plan is refused, and what to do about it. */
  readonly message: string;
}

/**
 * Refuses a plan (so a deploy) when `value` is one of `refuse`, with `message`. Synth still succeeds: the
 * refusal happens in the engine, where a deploy starts. Resources that must not ship depend on `resource`.
 */
export class DeployGuard extends Construct {
  readonly resource: TerraformResource;

  constructor(scope: Construct, id: string, props: DeployGuardProps) {
    super(scope, id);
    // A precondition must reference another object, so the value is a local.
    const value = new TerraformLocal(this, "value", props.value);
    const condition = props.refuse
      .map((refused) => Op.neq(value.expression, refused))
      .reduce((all, next) => Op.and(all, next));
    this.resource = new TerraformData(
      this,
      "guard",
      { value: props.value },
      {
        precondition: [{ condition, errorMessage: props.message }],
      },
    );
  }
}
