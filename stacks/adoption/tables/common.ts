import type { AdoptionTable } from "../adoption-table";

/**
 * The part of the adoption tables that staging and production share: the reference HCL declares the same
 * resources in both environments (WORKLOAD.md section 11), and this app maps them the same way. Each
 * environment's table adds what only it has (production's alarms, its APNS platform application).
 */
export const COMMON_ADOPTION: AdoptionTable = {
  moves: {
    "aws_api_gateway_api_key.iOSApp": "media-downloader/rest-api/api-key",
    "aws_api_gateway_authorizer.ApiGatewayAuthorizer": "media-downloader/rest-api/authorizer",
    "aws_api_gateway_deployment.Main": "media-downloader/rest-api/deployment",
    "aws_api_gateway_gateway_response.Default400GatewayResponse":
      "media-downloader/rest-api/response-DEFAULT_4XX",
    "aws_api_gateway_gateway_response.Default500GatewayResponse":
      "media-downloader/rest-api/response-DEFAULT_5XX",
    "aws_api_gateway_integration.DeviceEventPost": "media-downloader/rest-api/integration-POST-device-event",
    "aws_api_gateway_integration.ListFilesGet": "media-downloader/rest-api/integration-GET-files",
    "aws_api_gateway_integration.LoginUserPost": "media-downloader/rest-api/integration-POST-user-login",
    "aws_api_gateway_integration.LogoutUserPost": "media-downloader/rest-api/integration-POST-user-logout",
    "aws_api_gateway_integration.RefreshTokenPost": "media-downloader/rest-api/integration-POST-user-refresh",
    "aws_api_gateway_integration.RegisterDevicePost":
      "media-downloader/rest-api/integration-POST-device-register",
    "aws_api_gateway_integration.RegisterUserPost":
      "media-downloader/rest-api/integration-POST-user-register",
    "aws_api_gateway_integration.UserDelete": "media-downloader/rest-api/integration-DELETE-user",
    "aws_api_gateway_integration.UserSubscribePost":
      "media-downloader/rest-api/integration-POST-user-subscribe",
    "aws_api_gateway_integration.WebhookFeedlyPost": "media-downloader/rest-api/integration-POST-feedly",
    "aws_api_gateway_method.DeviceEventPost": "media-downloader/rest-api/method-POST-device-event",
    "aws_api_gateway_method.ListFilesGet": "media-downloader/rest-api/method-GET-files",
    "aws_api_gateway_method.LoginUserPost": "media-downloader/rest-api/method-POST-user-login",
    "aws_api_gateway_method.LogoutUserPost": "media-downloader/rest-api/method-POST-user-logout",
    "aws_api_gateway_method.RefreshTokenPost": "media-downloader/rest-api/method-POST-user-refresh",
    "aws_api_gateway_method.RegisterDevicePost": "media-downloader/rest-api/method-POST-device-register",
    "aws_api_gateway_method.RegisterUserPost": "media-downloader/rest-api/method-POST-user-register",
    "aws_api_gateway_method.UserDelete": "media-downloader/rest-api/method-DELETE-user",
    "aws_api_gateway_method.UserSubscribePost": "media-downloader/rest-api/method-POST-user-subscribe",
    "aws_api_gateway_method.WebhookFeedlyPost": "media-downloader/rest-api/method-POST-feedly",
    "aws_api_gateway_method_settings.Production": "media-downloader/rest-api/method-settings",
    "aws_api_gateway_resource.Device": "media-downloader/rest-api/resource-device",
    "aws_api_gateway_resource.DeviceEvent": "media-downloader/rest-api/resource-device-event",
    "aws_api_gateway_resource.DeviceRegister": "media-downloader/rest-api/resource-device-register",
    "aws_api_gateway_resource.Feedly": "media-downloader/rest-api/resource-feedly",
    "aws_api_gateway_resource.Files": "media-downloader/rest-api/resource-files",
    "aws_api_gateway_resource.User": "media-downloader/rest-api/resource-user",
    "aws_api_gateway_resource.UserLogin": "media-downloader/rest-api/resource-user-login",
    "aws_api_gateway_resource.UserLogout": "media-downloader/rest-api/resource-user-logout",
    "aws_api_gateway_resource.UserRefresh": "media-downloader/rest-api/resource-user-refresh",
    "aws_api_gateway_resource.UserRegister": "media-downloader/rest-api/resource-user-register",
    "aws_api_gateway_resource.UserSubscribe": "media-downloader/rest-api/resource-user-subscribe",
    "aws_api_gateway_rest_api.Main": "media-downloader/rest-api/api",
    "aws_api_gateway_stage.Production": "media-downloader/rest-api/stage",
    "aws_api_gateway_usage_plan.iOSApp": "media-downloader/rest-api/usage-plan",
    "aws_api_gateway_usage_plan_key.iOSApp": "media-downloader/rest-api/usage-plan-key",
    "aws_cloudfront_distribution.MediaFiles": "media-downloader/media-distribution/distribution",
    "aws_cloudfront_distribution.Production": "media-downloader/api-distribution/distribution",
    "aws_cloudfront_origin_access_control.MediaFilesOAC":
      "media-downloader/media-distribution/origin-access-control",
    "aws_cloudfront_response_headers_policy.MediaFilesCors[0]": "media-downloader/media-distribution/cors",
    "aws_cloudwatch_event_bus.MediaDownloader": "media-downloader/download-events/bus",
    "aws_cloudwatch_event_rule.CleanupExpiredRecords": "media-downloader/cleanup-schedule/rule",
    "aws_cloudwatch_event_rule.DownloadRequested": "media-downloader/download-events/download-requested",
    "aws_cloudwatch_event_rule.PruneDevices": "media-downloader/prune-devices-schedule/rule",
    "aws_cloudwatch_event_target.CleanupExpiredRecords": "media-downloader/cleanup-schedule/target",
    "aws_cloudwatch_event_target.DownloadRequestedToSQS":
      "media-downloader/download-events/to-download-queue",
    "aws_cloudwatch_event_target.PruneDevices": "media-downloader/prune-devices-schedule/target",
    "aws_cloudwatch_log_group.ApiGatewayAuthorizer":
      "media-downloader/functions/ApiGatewayAuthorizer/log-group",
    "aws_cloudwatch_log_group.CleanupExpiredRecords":
      "media-downloader/functions/CleanupExpiredRecords/log-group",
    "aws_cloudwatch_log_group.DeviceEvent": "media-downloader/functions/DeviceEvent/log-group",
    "aws_cloudwatch_log_group.ListFiles": "media-downloader/functions/ListFiles/log-group",
    "aws_cloudwatch_log_group.LoginUser": "media-downloader/functions/LoginUser/log-group",
    "aws_cloudwatch_log_group.LogoutUser": "media-downloader/functions/LogoutUser/log-group",
    "aws_cloudwatch_log_group.MigrateDSQL": "media-downloader/functions/MigrateDSQL/log-group",
    "aws_cloudwatch_log_group.PruneDevices": "media-downloader/functions/PruneDevices/log-group",
    "aws_cloudwatch_log_group.RefreshToken": "media-downloader/functions/RefreshToken/log-group",
    "aws_cloudwatch_log_group.RegisterDevice": "media-downloader/functions/RegisterDevice/log-group",
    "aws_cloudwatch_log_group.RegisterUser": "media-downloader/functions/RegisterUser/log-group",
    "aws_cloudwatch_log_group.S3ObjectCreated": "media-downloader/functions/S3ObjectCreated/log-group",
    "aws_cloudwatch_log_group.SendPushNotification":
      "media-downloader/functions/SendPushNotification/log-group",
    "aws_cloudwatch_log_group.StartFileUpload": "media-downloader/functions/StartFileUpload/log-group",
    "aws_cloudwatch_log_group.UserDelete": "media-downloader/functions/UserDelete/log-group",
    "aws_cloudwatch_log_group.UserSubscribe": "media-downloader/functions/UserSubscribe/log-group",
    "aws_cloudwatch_log_group.WebhookFeedly": "media-downloader/functions/WebhookFeedly/log-group",
    "aws_dsql_cluster.media_downloader": "media-downloader/database/cluster",
    "aws_dynamodb_table.IdempotencyTable": "media-downloader/idempotency-table/table",
    "aws_iam_role.ApiGatewayAuthorizer": "media-downloader/functions/ApiGatewayAuthorizer/role/role",
    "aws_iam_role.CleanupExpiredRecords": "media-downloader/functions/CleanupExpiredRecords/role/role",
    "aws_iam_role.CloudfrontMiddleware": "media-downloader/edge-function/role/role",
    "aws_iam_role.DeviceEvent": "media-downloader/functions/DeviceEvent/role/role",
    "aws_iam_role.ListFiles": "media-downloader/functions/ListFiles/role/role",
    "aws_iam_role.LoginUser": "media-downloader/functions/LoginUser/role/role",
    "aws_iam_role.LogoutUser": "media-downloader/functions/LogoutUser/role/role",
    "aws_iam_role.MigrateDSQL": "media-downloader/functions/MigrateDSQL/role/role",
    "aws_iam_role.PruneDevices": "media-downloader/functions/PruneDevices/role/role",
    "aws_iam_role.RefreshToken": "media-downloader/functions/RefreshToken/role/role",
    "aws_iam_role.RegisterDevice": "media-downloader/functions/RegisterDevice/role/role",
    "aws_iam_role.RegisterUser": "media-downloader/functions/RegisterUser/role/role",
    "aws_iam_role.S3ObjectCreated": "media-downloader/functions/S3ObjectCreated/role/role",
    "aws_iam_role.SNSLoggingRole": "media-downloader/push-notifications/feedback-role/role",
    "aws_iam_role.SendPushNotification": "media-downloader/functions/SendPushNotification/role/role",
    "aws_iam_role.StartFileUpload": "media-downloader/functions/StartFileUpload/role/role",
    "aws_iam_role.UserDelete": "media-downloader/functions/UserDelete/role/role",
    "aws_iam_role.UserSubscribe": "media-downloader/functions/UserSubscribe/role/role",
    "aws_iam_role.WebhookFeedly": "media-downloader/functions/WebhookFeedly/role/role",
    "aws_lambda_event_source_mapping.SendPushNotification": "media-downloader/push-queue/consumer",
    "aws_lambda_event_source_mapping.StartFileUploadSQS": "media-downloader/download-queue/consumer",
    "aws_lambda_function.ApiGatewayAuthorizer": "media-downloader/functions/ApiGatewayAuthorizer/function",
    "aws_lambda_function.CleanupExpiredRecords": "media-downloader/functions/CleanupExpiredRecords/function",
    "aws_lambda_function.CloudfrontMiddleware": "media-downloader/edge-function/function",
    "aws_lambda_function.DeviceEvent": "media-downloader/functions/DeviceEvent/function",
    "aws_lambda_function.ListFiles": "media-downloader/functions/ListFiles/function",
    "aws_lambda_function.LoginUser": "media-downloader/functions/LoginUser/function",
    "aws_lambda_function.LogoutUser": "media-downloader/functions/LogoutUser/function",
    "aws_lambda_function.MigrateDSQL": "media-downloader/functions/MigrateDSQL/function",
    "aws_lambda_function.PruneDevices": "media-downloader/functions/PruneDevices/function",
    "aws_lambda_function.RefreshToken": "media-downloader/functions/RefreshToken/function",
    "aws_lambda_function.RegisterDevice": "media-downloader/functions/RegisterDevice/function",
    "aws_lambda_function.RegisterUser": "media-downloader/functions/RegisterUser/function",
    "aws_lambda_function.S3ObjectCreated": "media-downloader/functions/S3ObjectCreated/function",
    "aws_lambda_function.SendPushNotification": "media-downloader/functions/SendPushNotification/function",
    "aws_lambda_function.StartFileUpload": "media-downloader/functions/StartFileUpload/function",
    "aws_lambda_function.UserDelete": "media-downloader/functions/UserDelete/function",
    "aws_lambda_function.UserSubscribe": "media-downloader/functions/UserSubscribe/function",
    "aws_lambda_function.WebhookFeedly": "media-downloader/functions/WebhookFeedly/function",
    "aws_lambda_permission.CleanupExpiredRecords":
      "media-downloader/functions/CleanupExpiredRecords/invoke-schedule",
    "aws_lambda_permission.DeviceEvent":
      "media-downloader/functions/DeviceEvent/invoke-api-POST-device-event",
    "aws_lambda_permission.ListFiles": "media-downloader/functions/ListFiles/invoke-api-GET-files",
    "aws_lambda_permission.LoginUser": "media-downloader/functions/LoginUser/invoke-api-POST-user-login",
    "aws_lambda_permission.LogoutUser": "media-downloader/functions/LogoutUser/invoke-api-POST-user-logout",
    "aws_lambda_permission.PruneDevices": "media-downloader/functions/PruneDevices/invoke-schedule",
    "aws_lambda_permission.RefreshToken":
      "media-downloader/functions/RefreshToken/invoke-api-POST-user-refresh",
    "aws_lambda_permission.RegisterDevice":
      "media-downloader/functions/RegisterDevice/invoke-api-POST-device-register",
    "aws_lambda_permission.RegisterUser":
      "media-downloader/functions/RegisterUser/invoke-api-POST-user-register",
    "aws_lambda_permission.S3ObjectCreated": "media-downloader/functions/S3ObjectCreated/invoke-s3",
    "aws_lambda_permission.UserDelete": "media-downloader/functions/UserDelete/invoke-api-DELETE-user",
    "aws_lambda_permission.UserSubscribe":
      "media-downloader/functions/UserSubscribe/invoke-api-POST-user-subscribe",
    "aws_lambda_permission.WebhookFeedly": "media-downloader/functions/WebhookFeedly/invoke-api-POST-feedly",
    "aws_s3_bucket.Files": "media-downloader/media-bucket/bucket",
    "aws_s3_bucket_notification.Files": "media-downloader/media-bucket/notification",
    "aws_s3_bucket_policy.CloudfrontAccess": "media-downloader/media-bucket/policy",
    "aws_sns_topic.PushNotifications": "media-downloader/push-notifications/topic",
    "aws_sqs_queue.DownloadDLQ": "media-downloader/download-queue/dead-letter",
    "aws_sqs_queue.DownloadQueue": "media-downloader/download-queue/queue",
    "aws_sqs_queue.SendPushNotification": "media-downloader/push-queue/queue",
    "aws_sqs_queue.SendPushNotificationDLQ": "media-downloader/push-queue/dead-letter",
    "aws_sqs_queue_policy.DownloadQueueEventBridge": "media-downloader/download-events/download-queue-policy",
  },
  forget: {
    "aws_api_gateway_account.Main":
      "one setting per account and region, now owned by bootstrap-stack (bootstrap/api-gateway-account.ts); forgetting leaves it as it is until the bootstrap applies its own",
    "aws_s3_object.DefaultFile":
      "the same key is written by media-bucket/default-file (an aws_s3_object_copy); destroying the legacy object could delete the file after the copy wrote it",
    "null_resource.DownloadDenoBinary":
      "build step of the reference (binary download); layers now come from the release",
    "null_resource.DownloadFfmpegBinary":
      "build step of the reference (binary download); layers now come from the release",
    "null_resource.DownloadYtDlpBinary":
      "build step of the reference (binary download); layers now come from the release",
    "time_sleep.wait_for_dsql": "a 30 s wait, not an AWS object; the provider waits for the cluster itself",
  },
  retire: {
    "aws_s3_bucket_intelligent_tiering_configuration.FilesTiering":
      "archive tiers (ARCHIVE_ACCESS 90 d, DEEP_ARCHIVE_ACCESS 180 d) make served media unreadable without a restore; deleting the configuration keeps every object (objects already archived still need a restore)",
    "aws_iam_role.ApiGatewayCloudwatch":
      "the legacy API Gateway logging role; the account setting and its role belong to bootstrap-stack now (apply the bootstrap first)",
    "aws_iam_role_policy_attachment.ApiGatewayCloudwatchLogging":
      "attachment of the legacy API Gateway logging role; the bootstrap's role has its own",
    "aws_iam_policy.ApiGatewayAuthorizer":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.ApiGatewayAuthorizer_services":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.CommonLambdaXRay":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.LambdaDSQLAdminConnect":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.LambdaDSQLConnect":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.PruneDevices":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.PruneDevices_services":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.RegisterDevice_infrastructure":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.RegisterDevice_services":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.S3ObjectCreated_services":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.SendPushNotification_infrastructure":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.SendPushNotification_services":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.StartFileUpload_infrastructure":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.StartFileUpload_services":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.UserDelete":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.UserDelete_services":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.UserSubscribe":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.UserSubscribe_services":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_policy.WebhookFeedly_services":
      "customer-managed policy of the reference; replaced by inline grants and the three shared managed policies",
    "aws_iam_role_policy.ApiGatewayAuthorizerInvocation":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.ApiGatewayAuthorizerLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.CleanupExpiredRecordsLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.CloudfrontMiddlewareLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.DeviceEventLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.ListFilesLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.LoginUserLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.LogoutUserLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.MigrateDSQLLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.PruneDevicesLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.RefreshTokenLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.RegisterDeviceLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.RegisterUserLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.S3ObjectCreatedLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.SNSLoggingRolePolicy":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.SendPushNotificationLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.StartFileUploadLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.UserDeleteLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.UserSubscribeLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy.WebhookFeedlyLogging":
      "inline logging policy of the reference; each role now has one inline policy from its grants",
    "aws_iam_role_policy_attachment.ApiGatewayAuthorizer":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.ApiGatewayAuthorizerXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.ApiGatewayAuthorizer_services":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.CleanupExpiredRecordsXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.DeviceEventXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.ListFilesXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.LoginUserXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.LogoutUserXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.MigrateDSQLXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.PruneDevices":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.PruneDevicesXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.PruneDevices_services":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.RefreshTokenXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.RegisterDeviceXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.RegisterDevice_infrastructure":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.RegisterDevice_services":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.RegisterUserXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.S3ObjectCreatedXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.S3ObjectCreated_services":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.SendPushNotificationXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.SendPushNotification_infrastructure":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.SendPushNotification_services":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.StartFileUploadXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.StartFileUpload_infrastructure":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.StartFileUpload_services":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.UserDelete":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.UserDeleteXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.UserDelete_services":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.UserSubscribe":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.UserSubscribeXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.UserSubscribe_services":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.WebhookFeedlyXRay":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_iam_role_policy_attachment.WebhookFeedly_services":
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_admin["MigrateDSQL"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_connect["ApiGatewayAuthorizer"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_connect["CleanupExpiredRecords"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_connect["ListFiles"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_connect["LoginUser"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_connect["LogoutUser"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_connect["PruneDevices"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_connect["RefreshToken"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_connect["RegisterDevice"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_connect["RegisterUser"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_connect["S3ObjectCreated"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_connect["SendPushNotification"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_connect["StartFileUpload"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_connect["UserDelete"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_connect["UserSubscribe"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    'aws_iam_role_policy_attachment.lambda_dsql_connect["WebhookFeedly"]':
      "attachment of a reference policy; the new roles attach the shared managed policies",
    "aws_lambda_layer_version.Bgutil":
      "unprefixed layer name (defect 2); the prefixed layers come from the release",
    "aws_lambda_layer_version.Deno":
      "unprefixed layer name (defect 2); the prefixed layers come from the release",
    "aws_lambda_layer_version.Ffmpeg":
      "unprefixed layer name (defect 2); the prefixed layers come from the release",
    "aws_lambda_layer_version.YtDlp":
      "unprefixed layer name (defect 2); the prefixed layers come from the release",
    "aws_lambda_permission.ApiGatewayAuthorizer":
      "API Gateway permission that no route uses (defect 7: the authorizer runs with its credentials role)",
    "aws_lambda_permission.SendPushNotification":
      "API Gateway permission that no route uses (defect 7: the authorizer runs with its credentials role)",
  },
};
