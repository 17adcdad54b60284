import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmMetricQuery,
} from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import type { Naming } from "../naming";

export interface AlarmsProps {
  readonly naming: Naming;
  readonly apiFunctions: readonly string[];
  readonly backgroundFunctions: readonly string[];
  readonly pushQueue: { readonly name: string; readonly deadLetterName: string };
  readonly downloadDeadLetterName: string;
  readonly downloadRuleName: string;
  readonly apiName: string;
  /** Subscribers of the alerts topic (at least one: an alarm nobody receives is no alarm). */
  readonly alertEndpoints: readonly { readonly protocol: "email" | "https"; readonly endpoint: string }[];
}

/** CloudWatch PutMetricAlarm: "You can use up to 10 metrics" in a metric math alarm (Metrics, CloudWatch quotas). */
export const MAX_METRICS_PER_ALARM = 10;

interface AlarmSpec {
  readonly suffix: string;
  readonly description: string;
  readonly threshold: number;
  readonly evaluationPeriods?: number;
  /** A single metric, or a sum over several (metric math). */
  readonly metric:
    | { namespace: string; name: string; statistic: string; dimensions: Record<string, string> }
    | { sumOf: { namespace: string; name: string; dimension: string; values: readonly string[] } };
}

const PERIOD = 300;

/** Splits `values` into runs of at most `size`. */
function chunks<T>(values: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < values.length; i += size) result.push(values.slice(i, i + size));
  return result;
}

/**
 * The operations alarms and the topic they notify. Every alarm fires above its threshold, treats missing
 * data as fine, and reports both ALARM and OK. Depth gauges use Maximum, never Sum.
 */
export class OperationsAlarms extends Construct {
  readonly topic: SnsTopic;
  readonly alarms: CloudwatchMetricAlarm[];
  private readonly naming: Naming;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const { naming } = props;
    this.naming = naming;
    this.topic = new SnsTopic(this, "alerts-topic", {
      name: naming.name("media-downloader-operations-alerts"),
    });
    if (props.alertEndpoints.length === 0)
      throw new Error(
        `${this.node.path}: alarms need at least one alert endpoint (observability.alertEndpoints)`,
      );
    props.alertEndpoints.forEach(
      (subscriber, i) =>
        new SnsTopicSubscription(this, `alert-subscription-${i}`, {
          topicArn: this.topic.arn,
          protocol: subscriber.protocol,
          endpoint: subscriber.endpoint,
        }),
    );
    const lambdaSum = (name: string, values: readonly string[]) => ({
      sumOf: { namespace: "AWS/Lambda", name, dimension: "FunctionName", values },
    });
    const youtube = (errorType: string) => ({
      namespace: "MediaDownloader",
      name: "YouTubeAuthFailure",
      statistic: "Sum",
      dimensions: { ErrorType: errorType },
    });
    const specs: AlarmSpec[] = [
      {
        suffix: "Lambda-Errors-API",
        description: "Errors in API functions",
        threshold: 5,
        metric: lambdaSum("Errors", props.apiFunctions),
      },
      {
        suffix: "Lambda-Errors-Background",
        description: "Errors in background functions",
        threshold: 3,
        metric: lambdaSum("Errors", props.backgroundFunctions),
      },
      {
        suffix: "Lambda-Throttles-API",
        description: "Throttled API functions",
        threshold: 0,
        metric: lambdaSum("Throttles", props.apiFunctions),
      },
      {
        suffix: "Lambda-Throttles-Background",
        description: "Throttled background functions",
        threshold: 0,
        metric: lambdaSum("Throttles", props.backgroundFunctions),
      },
      {
        suffix: "SQS-DLQ-Messages",
        description: "Push notifications in the dead-letter queue",
        threshold: 0,
        metric: {
          namespace: "AWS/SQS",
          name: "ApproximateNumberOfMessagesVisible",
          statistic: "Maximum",
          dimensions: { QueueName: props.pushQueue.deadLetterName },
        },
      },
      {
        suffix: "SQS-Queue-Age",
        description: "Oldest push notification waiting over an hour",
        threshold: 3600,
        evaluationPeriods: 2,
        metric: {
          namespace: "AWS/SQS",
          name: "ApproximateAgeOfOldestMessage",
          statistic: "Maximum",
          dimensions: { QueueName: props.pushQueue.name },
        },
      },
      {
        suffix: "Download-DLQ-Messages",
        description: "Downloads in the dead-letter queue",
        threshold: 0,
        metric: {
          namespace: "AWS/SQS",
          name: "ApproximateNumberOfMessagesVisible",
          statistic: "Maximum",
          dimensions: { QueueName: props.downloadDeadLetterName },
        },
      },
      {
        suffix: "EventBridge-FailedInvocations",
        description: "DownloadRequested rule failed to deliver",
        threshold: 0,
        metric: {
          namespace: "AWS/Events",
          name: "FailedInvocations",
          statistic: "Sum",
          dimensions: { RuleName: props.downloadRuleName },
        },
      },
      {
        suffix: "EventBridge-Throttled",
        description: "DownloadRequested rule throttled",
        threshold: 0,
        metric: {
          namespace: "AWS/Events",
          name: "ThrottledRules",
          statistic: "Sum",
          dimensions: { RuleName: props.downloadRuleName },
        },
      },
      {
        suffix: "YouTube-Auth-BotDetection",
        description: "YouTube flagged downloads as a bot",
        threshold: 3,
        metric: youtube("bot_detection"),
      },
      {
        suffix: "YouTube-Auth-CookieExpired",
        description: "YouTube cookies expired",
        threshold: 2,
        metric: youtube("cookie_expired"),
      },
      {
        suffix: "YouTube-Auth-RateLimited",
        description: "YouTube rate-limited downloads",
        threshold: 5,
        evaluationPeriods: 2,
        metric: youtube("rate_limited"),
      },
      {
        suffix: "API-Gateway-5xx-Errors",
        description: "Server errors from the REST API",
        threshold: 1,
        metric: {
          namespace: "AWS/ApiGateway",
          name: "5XXError",
          statistic: "Sum",
          dimensions: { ApiName: props.apiName },
        },
      },
    ];
    // A sum over more functions than one alarm may hold becomes several alarms (suffix -1, -2, ...).
    this.alarms = specs.flatMap((spec) => {
      if (!("sumOf" in spec.metric)) return [this.alarm(spec)];
      const { sumOf } = spec.metric;
      const parts = chunks(sumOf.values, MAX_METRICS_PER_ALARM);
      return parts.map((values, i) =>
        this.alarm({
          ...spec,
          suffix: parts.length === 1 ? spec.suffix : `${spec.suffix}-${i + 1}`,
          description:
            parts.length === 1 ? spec.description : `${spec.description} (part ${i + 1} of ${parts.length})`,
          metric: { sumOf: { ...sumOf, values } },
        }),
      );
    });
  }

  private alarm(spec: AlarmSpec): CloudwatchMetricAlarm {
    const common = {
      alarmName: this.naming.name(`MediaDownloader-${spec.suffix}`),
      alarmDescription: spec.description,
      comparisonOperator: "GreaterThanThreshold",
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      treatMissingData: "notBreaching",
      alarmActions: [this.topic.arn],
      okActions: [this.topic.arn],
    };
    if ("sumOf" in spec.metric) {
      const { sumOf } = spec.metric;
      const queries: CloudwatchMetricAlarmMetricQuery[] = sumOf.values.map((value, i) => ({
        id: `m${i}`,
        returnData: false,
        metric: {
          namespace: sumOf.namespace,
          metricName: sumOf.name,
          dimensions: { [sumOf.dimension]: value },
          period: PERIOD,
          stat: "Sum",
        },
      }));
      queries.push({
        id: "total",
        label: `${sumOf.name} (sum)`,
        returnData: true,
        expression: sumOf.values.map((_, i) => `m${i}`).join(" + "),
      });
      return new CloudwatchMetricAlarm(this, spec.suffix, { ...common, metricQuery: queries });
    }
    return new CloudwatchMetricAlarm(this, spec.suffix, {
      ...common,
      namespace: spec.metric.namespace,
      metricName: spec.metric.name,
      statistic: spec.metric.statistic,
      dimensions: spec.metric.dimensions,
      period: PERIOD,
    });
  }
}
