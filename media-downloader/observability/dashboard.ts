import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { Fn } from "cdktf";
import { Construct } from "constructs";

export interface DashboardProps {
  readonly dashboardName: string;
  readonly region: string;
  readonly functionNames: readonly string[];
  readonly bucketName: string;
  readonly apiName: string;
  readonly queueNames: readonly string[];
  readonly downloadRuleName: string;
}

type Metric = readonly (string | Record<string, string>)[];

/** The operations dashboard: Lambda, S3, API Gateway, SQS, EventBridge and the download pipeline. */
export class OperationsDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const fnMetrics = (name: string, stat?: string): Metric[] =>
      props.functionNames.map((fn) => ["AWS/Lambda", name, "FunctionName", fn, ...(stat ? [{ stat }] : [])]);
    const queueMetrics = (name: string): Metric[] =>
      props.queueNames.map((queue) => ["AWS/SQS", name, "QueueName", queue]);
    const rule = (name: string): Metric => ["AWS/Events", name, "RuleName", props.downloadRuleName];
    const panels: Array<[string, Metric[], string]> = [
      ["Lambda invocations", fnMetrics("Invocations"), "Sum"],
      ["Lambda errors", fnMetrics("Errors"), "Sum"],
      ["Lambda duration p50", fnMetrics("Duration", "p50"), "p50"],
      ["Lambda duration p95", fnMetrics("Duration", "p95"), "p95"],
      ["Lambda init duration", fnMetrics("InitDuration"), "Maximum"],
      ["Lambda throttles", fnMetrics("Throttles"), "Sum"],
      [
        "Media bucket size",
        [["AWS/S3", "BucketSizeBytes", "BucketName", props.bucketName, "StorageType", "StandardStorage"]],
        "Average",
      ],
      [
        "Media objects",
        [["AWS/S3", "NumberOfObjects", "BucketName", props.bucketName, "StorageType", "AllStorageTypes"]],
        "Average",
      ],
      [
        "API requests",
        [
          ["AWS/ApiGateway", "Count", "ApiName", props.apiName],
          ["AWS/ApiGateway", "4XXError", "ApiName", props.apiName],
          ["AWS/ApiGateway", "5XXError", "ApiName", props.apiName],
        ],
        "Sum",
      ],
      [
        "API latency",
        [
          ["AWS/ApiGateway", "Latency", "ApiName", props.apiName, { stat: "p95" }],
          ["AWS/ApiGateway", "IntegrationLatency", "ApiName", props.apiName, { stat: "p95" }],
        ],
        "p95",
      ],
      ["Queue depth", queueMetrics("ApproximateNumberOfMessagesVisible"), "Maximum"],
      ["Oldest message age", queueMetrics("ApproximateAgeOfOldestMessage"), "Maximum"],
      [
        "DownloadRequested rule",
        [rule("MatchedEvents"), rule("Invocations"), rule("FailedInvocations"), rule("ThrottledRules")],
        "Sum",
      ],
      ["Download flow", [rule("MatchedEvents"), ...queueMetrics("NumberOfMessagesReceived")], "Sum"],
      [
        "YouTube auth failures",
        [
          ["MediaDownloader", "YouTubeAuthFailure", "ErrorType", "bot_detection"],
          ["MediaDownloader", "YouTubeAuthFailure", "ErrorType", "cookie_expired"],
          ["MediaDownloader", "YouTubeAuthFailure", "ErrorType", "rate_limited"],
        ],
        "Sum",
      ],
      [
        "Downloads",
        [
          ["MediaDownloader", "DownloadSuccess"],
          ["MediaDownloader", "DownloadFailure"],
        ],
        "Sum",
      ],
      ["Download duration", [["MediaDownloader", "DownloadDuration", { stat: "p95" }]], "p95"],
    ];
    const widgets = panels.map(([title, metrics, stat], i) => ({
      type: "metric",
      x: (i % 3) * 8,
      y: Math.floor(i / 3) * 6,
      width: 8,
      height: 6,
      properties: { title, metrics, stat, period: 300, region: props.region, view: "timeSeries" },
    }));
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.dashboardName,
      dashboardBody: Fn.jsonencode({ widgets }),
    });
  }
}
