import { COMPLIANT, NOT_APPLICABLE, nonCompliant, type PolicyRule, type ResourceView } from "../types";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const FUNCTION_REFERENCE = /^\$\{(aws_lambda_function\.[\w-]+)\.(?:arn|function_name|qualified_arn)\}$/;

/** The function a mapping invokes, when the stack can tell: by reference (synth) or by name (plan). */
function targetFunction(mapping: ResourceView, stack: readonly ResourceView[]): ResourceView | undefined {
  const name = mapping.values.function_name;
  if (typeof name !== "string") return undefined;
  const reference = FUNCTION_REFERENCE.exec(name)?.[1];
  return stack.find(
    (view) =>
      view.kind === "resource" &&
      view.type === "aws_lambda_function" &&
      (reference
        ? view.address === reference
        : view.values.function_name === name || view.values.arn === name),
  );
}

/**
 * SQS event sources into a function with reserved concurrency cap their pollers at or below it
 * (scaling_config.maximum_concurrency). Lambda's SQS poller ignores reserved concurrency; throttled
 * messages return after the visibility timeout and count toward maxReceiveCount (AWS Lambda Developer
 * Guide, "Configuring maximum concurrency for Amazon SQS event sources").
 */
export const eventSourceConcurrencyRule: PolicyRule = {
  id: "event-source-concurrency",
  reason:
    "an event source mapping into a function with reserved concurrency caps its concurrency at or below it",
  evaluate(resource, _context, stack = []) {
    if (resource.kind !== "resource" || resource.type !== "aws_lambda_event_source_mapping")
      return NOT_APPLICABLE;
    const target = targetFunction(resource, stack);
    const reserved = target?.values.reserved_concurrent_executions;
    if (typeof reserved !== "number" || reserved < 0) return NOT_APPLICABLE;
    const scaling = Array.isArray(resource.values.scaling_config)
      ? resource.values.scaling_config[0]
      : resource.values.scaling_config;
    const maximum = isRecord(scaling) ? scaling.maximum_concurrency : undefined;
    if (typeof maximum !== "number")
      return nonCompliant(
        `no scaling_config.maximum_concurrency, but ${target!.path} reserves ${reserved} concurrent executions`,
      );
    return maximum <= reserved
      ? COMPLIANT
      : nonCompliant(
          `maximum_concurrency ${maximum} exceeds ${target!.path}'s reserved concurrency ${reserved}`,
        );
  },
};
