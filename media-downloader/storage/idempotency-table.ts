import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import type { IGrantable } from "../iam/policy";

export interface IdempotencyTableProps {
  readonly name: string;
  /** Deletion protection and prevent_destroy. */
  readonly protect: boolean;
}

/** On-demand table of processed webhook requests; rows expire through the `expiration` TTL attribute. */
export class IdempotencyTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: IdempotencyTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, "table", {
      name: props.name,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "id",
      attribute: [{ name: "id", type: "S" }],
      ttl: { attributeName: "expiration", enabled: true },
      deletionProtectionEnabled: props.protect,
      lifecycle: { preventDestroy: props.protect },
    });
  }

  grantReadWriteItems(grantee: IGrantable): void {
    grantee.addToPolicy({
      actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
      resources: [this.table.arn],
    });
  }
}
