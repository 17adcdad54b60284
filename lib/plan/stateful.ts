/**
 * The one list of resource types that hold data or an identity clients depend on. Deleting or replacing
 * one loses data or breaks clients, so `npm run plan:check`, the plan comment and the adoption tests
 * refuse such a change unless an audited override names its address. Source: what each AWS service
 * keeps in the resource (AWS documentation of the service), and the WORKLOAD.md inventory.
 */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  aws_s3_bucket: "holds objects (media, state, artifacts)",
  aws_dynamodb_table: "holds items (idempotency records)",
  aws_dsql_cluster: "holds the database",
  aws_kms_key: "decrypts everything encrypted with it; deletion is irreversible after the waiting period",
  aws_sqs_queue: "holds messages in flight, including dead letters",
  aws_cloudwatch_log_group: "holds logs",
  aws_sns_platform_application: "holds every device endpoint registered with it",
  aws_sns_topic: "holds its subscriptions",
  aws_cloudwatch_event_bus: "receives events addressed to its name",
  aws_api_gateway_rest_api: "its generated id is in every client's URL",
  aws_api_gateway_api_key: "its value is held by the iOS app",
  aws_cloudfront_distribution: "its generated domain is what clients and DNS point at",
};

export function isStatefulType(type: string): boolean {
  return Object.hasOwn(STATEFUL_TYPES, type);
}
