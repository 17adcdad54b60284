import { COMPLIANT, NOT_APPLICABLE, nonCompliant, type PolicyRule, type ResourceView } from "../types";

/** Data stores and the attribute that turns on their own deletion protection (none: prevent_destroy only). */
export const DATA_STORES: Readonly<Record<string, string | undefined>> = {
  aws_dsql_cluster: "deletion_protection_enabled",
  aws_dynamodb_table: "deletion_protection_enabled",
  aws_s3_bucket: undefined,
  aws_rds_cluster: "deletion_protection",
  aws_db_instance: "deletion_protection",
};

/**
 * Protection: where the environment asks for deletion protection, data stores (DSQL cluster, S3 buckets,
 * DynamoDB tables) have it on, carry lifecycle.prevent_destroy, and buckets are not force_destroy.
 */
export const dataProtectionRule: PolicyRule = {
  id: "data-protection",
  reason:
    "with deletionProtection, data stores have deletion protection and prevent_destroy, buckets no force_destroy",
  evaluate(resource: ResourceView, context) {
    if (resource.kind !== "resource" || !(resource.type in DATA_STORES) || !context.deletionProtection)
      return NOT_APPLICABLE;
    const problems: string[] = [];
    const attribute = DATA_STORES[resource.type];
    if (attribute && resource.values[attribute] !== true && !resource.unknown.has(attribute))
      problems.push(`${attribute} is ${JSON.stringify(resource.values[attribute] ?? null)}`);
    if (resource.preventDestroy === false) problems.push("lifecycle.prevent_destroy is not set");
    if (resource.type === "aws_s3_bucket" && resource.values.force_destroy === true)
      problems.push("force_destroy is true");
    return problems.length > 0 ? nonCompliant(problems.join("; ")) : COMPLIANT;
  },
};
