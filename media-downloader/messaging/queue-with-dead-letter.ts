import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { LambdaFunction } from "../functions/lambda-function";
import type { IGrantable } from "../iam/policy";

const DAY = 86_400;

/** AWS Lambda API reference, ScalingConfig.MaximumConcurrency: "Minimum value of 2" (maximum 1000). */
export const MIN_MAXIMUM_CONCURRENCY = 2;

export interface QueueWithDeadLetterProps {
  readonly name: string;
  /** Must be at least 6x the consumer's timeout (AWS guidance for Lambda event sources). */
  readonly visibilityTimeoutSeconds: number;
  /** @default 4 days */
  readonly retentionSeconds?: number;
  /** @default 0 (short polling) */
  readonly receiveWaitSeconds?: number;
  /** Receives before a message moves to the dead-letter queue. @default 3 */
  readonly maxReceiveCount?: number;
}

/** A queue and its dead-letter queue (`<name>-DLQ`, kept 14 days), plus grants and the Lambda trigger. */
export class QueueWithDeadLetter extends Construct {
  readonly queue: SqsQueue;
  readonly deadLetter: SqsQueue;

  constructor(scope: Construct, id: string, props: QueueWithDeadLetterProps) {
    super(scope, id);
    this.deadLetter = new SqsQueue(this, "dead-letter", {
      name: `${props.name}-DLQ`,
      messageRetentionSeconds: 14 * DAY,
      sqsManagedSseEnabled: true,
    });
    this.queue = new SqsQueue(this, "queue", {
      name: props.name,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds,
      messageRetentionSeconds: props.retentionSeconds ?? 4 * DAY,
      maxMessageSize: 262_144,
      receiveWaitTimeSeconds: props.receiveWaitSeconds ?? 0,
      sqsManagedSseEnabled: true,
      redrivePolicy: Fn.jsonencode({
        deadLetterTargetArn: this.deadLetter.arn,
        maxReceiveCount: props.maxReceiveCount ?? 3,
      }),
    });
  }

  get url(): string {
    return this.queue.url;
  }

  get arn(): string {
    return this.queue.arn;
  }

  grantSendMessages(grantee: IGrantable): void {
    grantee.addToPolicy({ actions: ["sqs:SendMessage"], resources: [this.queue.arn] });
  }

  /**
   * Makes `consumer` the queue's Lambda trigger, reporting partial batch failures. A consumer with reserved
   * concurrency caps the poller at it (scaling_config.maximum_concurrency): Lambda's SQS poller does not
   * heed reserved concurrency, and throttled messages would come back only after the visibility timeout,
   * counting toward the dead-letter maxReceiveCount.
   */
  addConsumer(consumer: LambdaFunction, batchSize: number): LambdaEventSourceMapping {
    const reserved = consumer.reservedConcurrency;
    if (reserved !== undefined && reserved < MIN_MAXIMUM_CONCURRENCY)
      throw new Error(
        `${consumer.node.path}: reserved concurrency ${reserved} is below the SQS event source's minimum ` +
          `maximum_concurrency (${MIN_MAXIMUM_CONCURRENCY})`,
      );
    consumer.addToPolicy({
      actions: [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ChangeMessageVisibility",
      ],
      resources: [this.queue.arn],
    });
    return new LambdaEventSourceMapping(this, "consumer", {
      eventSourceArn: this.queue.arn,
      functionName: consumer.arn,
      batchSize,
      functionResponseTypes: ["ReportBatchItemFailures"],
      scalingConfig: reserved !== undefined ? { maximumConcurrency: reserved } : undefined,
    });
  }
}
