import { CloudwatchEventBus } from "@cdktf/provider-aws/lib/cloudwatch-event-bus";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { IGrantable } from "../iam/policy";
import type { QueueWithDeadLetter } from "./queue-with-dead-letter";

export const EVENT_SOURCE = "media-downloader";
export const DOWNLOAD_REQUESTED = "DownloadRequested";

export interface DownloadEventsProps {
  readonly busName: string;
  readonly ruleName: string;
  /** Queue that receives every DownloadRequested event. */
  readonly downloadQueue: QueueWithDeadLetter;
}

/**
 * The custom event bus and its DownloadRequested rule, which feeds the download queue. Only that rule may
 * send to the queue.
 */
export class DownloadEvents extends Construct {
  readonly bus: CloudwatchEventBus;
  readonly downloadRequested: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: DownloadEventsProps) {
    super(scope, id);
    this.bus = new CloudwatchEventBus(this, "bus", { name: props.busName });
    this.downloadRequested = new CloudwatchEventRule(this, "download-requested", {
      name: props.ruleName,
      description: "Routes DownloadRequested events to the download queue",
      eventBusName: this.bus.name,
      eventPattern: Fn.jsonencode({ source: [EVENT_SOURCE], "detail-type": [DOWNLOAD_REQUESTED] }),
    });
    new CloudwatchEventTarget(this, "to-download-queue", {
      rule: this.downloadRequested.name,
      eventBusName: this.bus.name,
      targetId: "DownloadQueue",
      arn: props.downloadQueue.arn,
      inputTransformer: {
        inputPaths: {
          fileId: "$.detail.fileId",
          sourceUrl: "$.detail.sourceUrl",
          correlationId: "$.detail.correlationId",
          userId: "$.detail.userId",
        },
        inputTemplate:
          '{"fileId": <fileId>, "sourceUrl": <sourceUrl>, "correlationId": <correlationId>, "userId": <userId>, "attempt": 1}',
      },
    });
    new SqsQueuePolicy(this, "download-queue-policy", {
      queueUrl: props.downloadQueue.url,
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DownloadRequestedRuleOnly",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: props.downloadQueue.arn,
            Condition: { ArnEquals: { "aws:SourceArn": this.downloadRequested.arn } },
          },
        ],
      }),
    });
  }

  grantPutEvents(grantee: IGrantable): void {
    grantee.addToPolicy({ actions: ["events:PutEvents"], resources: [this.bus.arn] });
  }
}
