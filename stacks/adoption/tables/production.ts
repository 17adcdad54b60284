import type { AdoptionTable } from "../adoption-table";
import { COMMON_ADOPTION } from "./common";

/**
 * How production takes over the state its hand-written HCL left at the same key (see docs/adoption.md):
 * the shared table (common.ts) plus what only production has. Legacy addresses: the reference HCL at 4823a86c
 * (WORKLOAD.md section 11). Targets: construct paths below the stack. Derived by matching type and physical
 * name against __tests__/fixtures/legacy-state/production.tfstate.json, then reviewed; the adoption tests check
 * it against that fixture in both directions.
 */
export const PRODUCTION_ADOPTION: AdoptionTable = {
  moves: {
    ...COMMON_ADOPTION.moves,
    "aws_cloudwatch_metric_alarm.ApiGateway5xxErrors[0]": "media-downloader/alarms/API-Gateway-5xx-Errors",
    "aws_cloudwatch_metric_alarm.DownloadDLQMessages[0]": "media-downloader/alarms/Download-DLQ-Messages",
    "aws_cloudwatch_metric_alarm.EventBridgeFailedInvocations[0]":
      "media-downloader/alarms/EventBridge-FailedInvocations",
    "aws_cloudwatch_metric_alarm.EventBridgeThrottled[0]": "media-downloader/alarms/EventBridge-Throttled",
    "aws_cloudwatch_metric_alarm.LambdaErrorsApi[0]": "media-downloader/alarms/Lambda-Errors-API",
    "aws_cloudwatch_metric_alarm.LambdaErrorsBackground[0]":
      "media-downloader/alarms/Lambda-Errors-Background",
    "aws_cloudwatch_metric_alarm.LambdaThrottlesApi[0]": "media-downloader/alarms/Lambda-Throttles-API",
    "aws_cloudwatch_metric_alarm.LambdaThrottlesBackground[0]":
      "media-downloader/alarms/Lambda-Throttles-Background",
    "aws_cloudwatch_metric_alarm.SqsDlqMessages[0]": "media-downloader/alarms/SQS-DLQ-Messages",
    "aws_cloudwatch_metric_alarm.SqsQueueAge[0]": "media-downloader/alarms/SQS-Queue-Age",
    "aws_cloudwatch_metric_alarm.YouTubeAuthFailureBotDetection[0]":
      "media-downloader/alarms/YouTube-Auth-BotDetection",
    "aws_cloudwatch_metric_alarm.YouTubeAuthFailureCookieExpired[0]":
      "media-downloader/alarms/YouTube-Auth-CookieExpired",
    "aws_cloudwatch_metric_alarm.YouTubeAuthFailureRateLimited[0]":
      "media-downloader/alarms/YouTube-Auth-RateLimited",
    "aws_sns_topic.OperationsAlerts[0]": "media-downloader/alarms/alerts-topic",
  },
  forget: {
    ...COMMON_ADOPTION.forget,
    "aws_sns_platform_application.OfflineMediaDownloader[0]":
      "its platform changes from APNS_SANDBOX to APNS (defect 1), which AWS cannot update in place: a new application is created beside it; the sandbox one keeps its device endpoints, unmanaged, until the operator deletes it",
  },
  retire: {
    ...COMMON_ADOPTION.retire,
  },
};
