import { DsqlCluster } from "@cdktf/provider-aws/lib/dsql-cluster";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { policyDocument } from "../iam/policy";

export interface DatabaseClusterProps {
  /** Value of the cluster's Name tag; also the prefix of its two connect policies. */
  readonly name: string;
  /** Deletion protection and prevent_destroy. */
  readonly protect: boolean;
}

/**
 * The single-region Aurora DSQL cluster and the two managed policies functions connect with:
 * DbConnect for application roles, DbConnectAdmin for the migration.
 */
export class DatabaseCluster extends Construct {
  readonly cluster: DsqlCluster;
  readonly connectPolicy: IamPolicy;
  readonly adminConnectPolicy: IamPolicy;

  constructor(scope: Construct, id: string, props: DatabaseClusterProps) {
    super(scope, id);
    this.cluster = new DsqlCluster(this, "cluster", {
      deletionProtectionEnabled: props.protect,
      tags: { Name: props.name },
      lifecycle: { preventDestroy: props.protect },
    });
    const connect = (action: string) =>
      Fn.jsonencode(policyDocument([{ actions: [action], resources: [this.cluster.arn] }]));
    this.connectPolicy = new IamPolicy(this, "connect", {
      name: `${props.name}-Connect`,
      description: "Connect to the DSQL cluster with a database role (dsql:DbConnect)",
      policy: connect("dsql:DbConnect"),
    });
    this.adminConnectPolicy = new IamPolicy(this, "admin-connect", {
      name: `${props.name}-AdminConnect`,
      description: "Connect to the DSQL cluster as admin, for migrations (dsql:DbConnectAdmin)",
      policy: connect("dsql:DbConnectAdmin"),
    });
  }

  /** Host name clients connect to. */
  endpoint(region: string): string {
    return `${this.cluster.identifier}.dsql.${region}.on.aws`;
  }
}
