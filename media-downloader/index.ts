import { LambdaInvocation } from "@cdktf/provider-aws/lib/lambda-invocation";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Fn, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../config";
import { RestApi } from "./api/rest-api";
import { ROUTES } from "./api/routes";
import { ApiDistribution } from "./cdn/api-distribution";
import { MediaDistribution } from "./cdn/media-distribution";
import { EDGE_FUNCTION, EdgeFunction } from "./functions/edge-function";
import { RegionalFunctions } from "./functions/regional-functions";
import { attachPermissionsBoundary, permissionsBoundaryArn } from "./iam/permissions-boundary";
import { Release } from "./functions/release";
import { DOWNLOAD_REQUESTED, DownloadEvents } from "./messaging/download-events";
import { PushNotifications } from "./messaging/push-notifications";
import { QueueWithDeadLetter } from "./messaging/queue-with-dead-letter";
import { Schedule } from "./messaging/schedule";
import { Naming } from "./naming";
import { OperationsAlarms } from "./observability/alarms";
import { OperationsDashboard } from "./observability/dashboard";
import type { MediaDownloaderSecrets } from "./secrets";
import { DatabaseCluster } from "./storage/dsql-cluster";
import { IdempotencyTable } from "./storage/idempotency-table";
import { MediaBucket } from "./storage/media-bucket";

export interface MediaDownloaderProps {
  readonly config: EnvironmentConfig;
  readonly providers: { readonly regional: AwsProvider; readonly usEast1: AwsProvider };
  readonly secrets: MediaDownloaderSecrets;
}

/**
 * The whole media-downloader workload for one environment. Every environment difference arrives in
 * `config`; the parts below receive explicit values and never ask which environment they are in.
 */
export class MediaDownloader extends Construct {
  readonly naming: Naming;
  readonly functions: RegionalFunctions;
  readonly api: RestApi;

  constructor(scope: Construct, id: string, props: MediaDownloaderProps) {
    super(scope, id);
    const { config, secrets } = props;
    const { region, accountId } = config.aws;
    const naming = (this.naming = new Naming(config.prefix, config.naming?.overrides));
    const release = new Release(this, "release", {
      artifactsBucket: config.artifacts.bucket,
      edgeArtifactsBucket: config.artifacts.edgeBucket,
      release: config.artifacts.release,
    });

    // Data
    const bucket = new MediaBucket(this, "media-bucket", {
      bucketName: naming.globalName("media-files"),
      protect: config.deletionProtection,
    });
    const idempotency = new IdempotencyTable(this, "idempotency-table", {
      name: naming.name("MediaDownloader-Idempotency"),
      protect: config.deletionProtection,
    });
    const database = new DatabaseCluster(this, "database", {
      name: naming.name("MediaDownloader-DSQL"),
      protect: config.deletionProtection,
    });

    // Messaging. Visibility timeouts are 6x the consumer's timeout (900 s and 30 s).
    const downloadQueue = new QueueWithDeadLetter(this, "download-queue", {
      name: naming.name("DownloadQueue"),
      visibilityTimeoutSeconds: 5400,
      receiveWaitSeconds: 20,
    });
    const pushQueue = new QueueWithDeadLetter(this, "push-queue", {
      name: naming.name("SendPushNotification"),
      visibilityTimeoutSeconds: 180,
    });
    const events = new DownloadEvents(this, "download-events", {
      busName: naming.name("MediaDownloader"),
      ruleName: naming.name(DOWNLOAD_REQUESTED),
      downloadQueue,
    });
    const push = new PushNotifications(this, "push-notifications", {
      topicName: naming.name("PushNotifications"),
      applicationName: naming.name("OfflineMediaDownloader"),
      feedbackRoleName: naming.name("SNSLoggingRole"),
      platform: config.apns.platform,
      credential: secrets.apnsPrivateKey,
      principal: secrets.apnsCertificate,
      region,
      accountId,
      logRetentionDays: config.logRetentionDays,
    });

    // API and media delivery
    const api = (this.api = new RestApi(this, "rest-api", {
      apiName: naming.name("OfflineMediaDownloader"),
      region,
      stageName: config.api.stageName,
      usagePlanName: naming.name("iOSApp"),
      apiKeyName: naming.name("iOSAppKey"),
      throttle: config.api.throttle,
      quota: config.api.quota,
      executionLogging: config.api.executionLogging,
      logRetentionDays: config.logRetentionDays,
    }));
    const media = new MediaDistribution(this, "media-distribution", {
      bucket,
      originAccessControlName: naming.name("media-files-oac"),
      corsPolicyName: naming.name("media-files-cors"),
      corsAllowedOrigins: config.cdn.corsAllowedOrigins,
      geoAllowList: config.cdn.geoAllowList,
      priceClass: config.cdn.mediaPriceClass,
    });
    bucket
      .addObjectFromRelease("default-file", {
        key: config.defaultFile.key,
        sourceBucket: release.bucket,
        sourceKey: release.staticKey(config.defaultFile.key),
        contentType: config.defaultFile.contentType,
      })
      .node.addDependency(release.guard);

    // Functions and their triggers
    const functions = (this.functions = new RegionalFunctions(this, "functions", {
      naming,
      release,
      database,
      context: {
        config,
        secrets,
        apiUrl: api.url,
        mediaDomain: media.domainName,
        bucket,
        idempotency,
        downloadQueue,
        pushQueue,
        events,
        push,
      },
    }));
    api.addRoutes({
      routes: ROUTES,
      handlers: (route) => functions.get(route.handler),
      authorizer: functions.get("ApiGatewayAuthorizer"),
    });
    const { stage, apiKey } = api.deploy();
    downloadQueue.addConsumer(functions.get("StartFileUpload"), 1);
    pushQueue.addConsumer(functions.get("SendPushNotification"), 10);
    bucket.notifyOnObjectCreated(functions.get("S3ObjectCreated"), accountId);
    new Schedule(this, "cleanup-schedule", {
      ruleName: naming.name("CleanupExpiredRecords"),
      expression: "cron(0 3 * * ? *)",
      target: functions.get("CleanupExpiredRecords"),
    });
    new Schedule(this, "prune-devices-schedule", {
      ruleName: naming.name("PruneDevices"),
      expression: "rate(1 day)",
      target: functions.get("PruneDevices"),
    });

    const edge = new EdgeFunction(this, "edge-function", {
      functionName: naming.name(EDGE_FUNCTION),
      release,
      accountId,
      logRetentionDays: config.logRetentionDays,
      usEast1: props.providers.usEast1,
      logRegions: [
        { region, provider: props.providers.regional },
        { region: "us-east-1", provider: props.providers.usEast1 },
      ].filter((entry, i, all) => all.findIndex((other) => other.region === entry.region) === i),
    });
    const apiDistribution = new ApiDistribution(this, "api-distribution", {
      apiDomain: api.domain,
      originPath: `/${config.api.stageName}`,
      edgeFunction: edge,
      geoAllowList: config.cdn.geoAllowList,
    });

    // Migrations run at apply time, once per release, never during a plan, and only once the function may
    // connect: after every grant of its role (DbConnectAdmin attachment, inline policy). No sleep after the
    // cluster: the provider's create waits until the cluster reports ACTIVE (docs/design.md, "time_sleep").
    const migrate = functions.get("MigrateDSQL");
    const migration = new LambdaInvocation(this, "migration", {
      functionName: migrate.functionName,
      input: Fn.jsonencode({ source: "terraform-deploy", release: release.id }),
      triggers: { release: release.id },
      dependsOn: [database.cluster, migrate.fn, ...migrate.role.grants],
    });

    // Observability
    const alarms = config.observability.alarms
      ? new OperationsAlarms(this, "alarms", {
          naming,
          apiFunctions: functions.namesIn("api"),
          // The edge function's metrics live in the regions it ran in, not here: it has no alarm.
          backgroundFunctions: functions.namesIn("background"),
          pushQueue: { name: pushQueue.queue.name, deadLetterName: pushQueue.deadLetter.name },
          downloadDeadLetterName: downloadQueue.deadLetter.name,
          downloadRuleName: events.downloadRequested.name,
          apiName: api.api.name,
          alertEndpoints: config.observability.alertEndpoints,
        })
      : undefined;
    const dashboard = config.observability.dashboard
      ? new OperationsDashboard(this, "dashboard", {
          dashboardName: naming.name("MediaDownloader"),
          region,
          functionNames: [...functions.namesIn("api"), ...functions.namesIn("background")],
          bucketName: bucket.bucket.bucket,
          apiName: api.api.name,
          queueNames: [downloadQueue.queue.name, pushQueue.queue.name],
          downloadRuleName: events.downloadRequested.name,
        })
      : undefined;

    const outputs: Record<string, { value: string; sensitive?: boolean }> = {
      api_gateway_subdomain: { value: api.api.id },
      api_gateway_stage: { value: stage.stageName },
      api_gateway_api_key: { value: apiKey.value, sensitive: true },
      cloudfront_distribution_domain: { value: apiDistribution.domainName },
      cloudfront_media_files_domain: { value: media.domainName },
      dsql_cluster_endpoint: { value: database.endpoint(region) },
      dsql_cluster_arn: { value: database.cluster.arn },
      download_queue_url: { value: downloadQueue.url },
      download_queue_arn: { value: downloadQueue.arn },
      event_bus_name: { value: events.bus.name },
      event_bus_arn: { value: events.bus.arn },
      idempotency_table_name: { value: idempotency.table.name },
      idempotency_table_arn: { value: idempotency.table.arn },
      operations_alerts_sns_topic_arn: { value: alarms?.topic.arn ?? "" },
      cloudwatch_dashboard_url: {
        value: dashboard
          ? `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${dashboard.dashboard.dashboardName}`
          : "",
      },
      migration_result: { value: migration.result, sensitive: true },
    };
    // Every role of the workload carries the environment's permissions boundary (bootstrap-stack owns it).
    attachPermissionsBoundary(this, permissionsBoundaryArn(accountId, config.aws.permissionsBoundary));

    for (const [name, output] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value: output.value, sensitive: output.sensitive }).overrideLogicalId(
        name,
      );
    }
  }
}
