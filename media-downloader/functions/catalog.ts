import type { EnvironmentConfig } from "../../config";
import type { DownloadEvents } from "../messaging/download-events";
import type { PushNotifications } from "../messaging/push-notifications";
import type { QueueWithDeadLetter } from "../messaging/queue-with-dead-letter";
import type { MediaDownloaderSecrets } from "../secrets";
import type { IdempotencyTable } from "../storage/idempotency-table";
import type { MediaBucket } from "../storage/media-bucket";
import type { LambdaFunction } from "./lambda-function";

/** What a function's environment and grants may refer to. */
export interface FunctionContext {
  readonly config: EnvironmentConfig;
  readonly secrets: MediaDownloaderSecrets;
  readonly apiUrl: string;
  readonly mediaDomain: string;
  readonly bucket: MediaBucket;
  readonly idempotency: IdempotencyTable;
  readonly downloadQueue: QueueWithDeadLetter;
  readonly pushQueue: QueueWithDeadLetter;
  readonly events: DownloadEvents;
  readonly push: PushNotifications;
}

export interface FunctionSpec {
  readonly description: string;
  /** @default 128 */
  readonly memoryMb?: number;
  /** @default 30 */
  readonly timeoutSeconds?: number;
  /** @default arm64 */
  readonly architecture?: "arm64" | "x86_64";
  readonly ephemeralStorageMb?: number;
  /** Database access: DbConnect with role `lambda_<snake_name>`, DbConnectAdmin as `admin`, or none. */
  readonly database: "connect" | "admin" | "none";
  /** Alarm group: request path (api) or asynchronous work (background). */
  readonly group: "api" | "background";
  /** API Gateway assumes the role to invoke it (the request authorizer's credentials). */
  readonly invokedByApiGatewayRole?: boolean;
  /** "download": the four download layers (and no ADOT layer); otherwise the ADOT layer. */
  readonly layers?: "download";
  /** Declared unzipped size of the bundled handler (MB). @default DEFAULT_CODE_UNZIPPED_MB */
  readonly codeUnzippedMb?: number;
  readonly reservedConcurrency?: (config: EnvironmentConfig) => number;
  readonly environment?: (ctx: FunctionContext) => Record<string, string>;
  readonly grants?: (ctx: FunctionContext, fn: LambdaFunction) => void;
}

/** Budget for a bundled handler zip, unzipped: the build bundles each handler into one file (not measured here). */
export const DEFAULT_CODE_UNZIPPED_MB = 3;

const appleSignIn = (ctx: FunctionContext) => ({
  APPLICATION_URL: ctx.apiUrl,
  SIGN_IN_WITH_APPLE_CONFIG: ctx.secrets.signInWithAppleConfig,
  BETTER_AUTH_SECRET: ctx.secrets.betterAuthSecret,
});

/**
 * The regional functions, one row each: size, database access, environment and exactly the grants each
 * uses. Triggers live with their sources (routes.ts, schedules, queues, the bucket). The Lambda@Edge
 * function is in cdn/edge-function.ts.
 */
export const FUNCTIONS = {
  ApiGatewayAuthorizer: {
    description: "Checks the API key and, on multi-authentication paths, the session",
    database: "connect",
    group: "api",
    invokedByApiGatewayRole: true,
    environment: (ctx) => ({
      MULTI_AUTHENTICATION_PATH_PARTS: "device/register,device/event,files",
      RESERVED_CLIENT_IP: ctx.config.api.reservedClientIp,
    }),
    grants: (ctx, fn) =>
      fn.addToPolicy({
        sid: "ReadApiKeysAndUsage",
        actions: ["apigateway:GET"],
        resources: ["/apikeys", "/apikeys/*", "/usageplans", "/usageplans/*/usage"].map(
          (path) => `arn:aws:apigateway:${ctx.config.aws.region}::${path}`,
        ),
      }),
  },
  CleanupExpiredRecords: {
    description: "Purges expired sessions, verifications and other rows",
    timeoutSeconds: 60,
    database: "connect",
    group: "background",
  },
  DeviceEvent: {
    description: "Records a client-side event",
    database: "none",
    group: "api",
  },
  ListFiles: {
    description: "Lists a user's files; anonymous users get the default file",
    memoryMb: 512,
    database: "connect",
    group: "api",
    environment: (ctx) => ({
      DEFAULT_FILE_SIZE: String(ctx.config.defaultFile.sizeBytes),
      DEFAULT_FILE_NAME: ctx.config.defaultFile.key,
      DEFAULT_FILE_URL: `https://${ctx.mediaDomain}/${ctx.config.defaultFile.key}`,
      DEFAULT_FILE_CONTENT_TYPE: ctx.config.defaultFile.contentType,
    }),
  },
  LoginUser: {
    description: "Signs a user in with Sign in with Apple",
    database: "connect",
    group: "api",
    environment: appleSignIn,
  },
  LogoutUser: { description: "Ends a session", database: "connect", group: "api" },
  MigrateDSQL: {
    description: "Applies database migrations; invoked once per release at apply time",
    memoryMb: 256,
    timeoutSeconds: 300,
    database: "admin",
    group: "background",
    environment: (ctx) => ({ AWS_ACCOUNT_ID: ctx.config.aws.accountId, RESOURCE_PREFIX: ctx.config.prefix }),
  },
  PruneDevices: {
    description: "Removes devices whose push tokens are no longer valid",
    timeoutSeconds: 300,
    database: "connect",
    group: "background",
    environment: (ctx) => ({
      APNS_SIGNING_KEY: ctx.secrets.apnsSigningKey,
      APNS_TEAM: ctx.secrets.apnsTeam,
      APNS_KEY_ID: ctx.secrets.apnsKeyId,
      APNS_DEFAULT_TOPIC: ctx.secrets.apnsDefaultTopic,
      APNS_HOST: ctx.config.apns.host,
    }),
    grants: (ctx, fn) => {
      ctx.push.grantDeleteDevices(fn);
      ctx.push.grantUnsubscribe(fn);
    },
  },
  RefreshToken: { description: "Extends a session", database: "connect", group: "api" },
  RegisterDevice: {
    description: "Creates the device's push endpoint and subscribes it to the topic",
    database: "connect",
    group: "api",
    environment: (ctx) => ({
      PLATFORM_APPLICATION_ARN: ctx.push.application.arn,
      PUSH_NOTIFICATION_TOPIC_ARN: ctx.push.topic.arn,
    }),
    grants: (ctx, fn) => {
      ctx.push.grantRegisterDevices(fn);
      ctx.push.grantUnsubscribe(fn);
    },
  },
  RegisterUser: {
    description: "Registers a user with Sign in with Apple",
    database: "connect",
    group: "api",
    environment: appleSignIn,
  },
  S3ObjectCreated: {
    description: "Queues a push notification when a download lands in the bucket",
    database: "connect",
    group: "background",
    environment: (ctx) => ({ SNS_QUEUE_URL: ctx.pushQueue.url }),
    grants: (ctx, fn) => ctx.pushQueue.grantSendMessages(fn),
  },
  SendPushNotification: {
    description: "Sends queued push notifications to devices",
    memoryMb: 512,
    database: "connect",
    group: "background",
    grants: (ctx, fn) => {
      ctx.push.grantPublishToDevices(fn);
      // Dead endpoints (EndpointDisabled) are deleted, as the reference's endpoint cleanup does.
      ctx.push.grantDeleteDevices(fn);
      ctx.pushQueue.grantSendMessages(fn);
    },
  },
  StartFileUpload: {
    description: "Downloads a video with yt-dlp and stores it in the media bucket",
    memoryMb: 2048,
    timeoutSeconds: 900,
    architecture: "x86_64",
    ephemeralStorageMb: 10240,
    database: "connect",
    group: "background",
    layers: "download",
    reservedConcurrency: (config) => config.download.reservedConcurrency,
    environment: (ctx) => ({
      BUCKET: ctx.bucket.bucket.bucket,
      CLOUDFRONT_DOMAIN: ctx.mediaDomain,
      SNS_QUEUE_URL: ctx.pushQueue.url,
      EVENT_BUS_NAME: ctx.events.bus.name,
      YTDLP_BINARY_PATH: "/opt/bin/yt-dlp_linux",
      PATH: "/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin",
      PYTHONPATH: "/opt/python",
      GITHUB_PERSONAL_TOKEN: ctx.secrets.githubToken,
    }),
    grants: (ctx, fn) => {
      ctx.bucket.grantReadObjects(fn);
      ctx.bucket.grantWriteObjects(fn);
      ctx.bucket.grantList(fn);
      ctx.events.grantPutEvents(fn);
      ctx.pushQueue.grantSendMessages(fn);
      fn.addToPolicy({
        sid: "PublishDownloadMetrics",
        actions: ["cloudwatch:PutMetricData"],
        resources: ["*"],
        conditions: { StringEquals: { "cloudwatch:namespace": "MediaDownloader" } },
      });
    },
  },
  UserDelete: {
    description: "Deletes a user's account, devices and subscriptions",
    database: "connect",
    group: "api",
    environment: (ctx) => ({ GITHUB_PERSONAL_TOKEN: ctx.secrets.githubToken }),
    grants: (ctx, fn) => {
      ctx.push.grantDeleteDevices(fn);
      ctx.push.grantUnsubscribe(fn);
    },
  },
  UserSubscribe: {
    description: "Subscribes a device endpoint to the push topic",
    database: "none",
    group: "api",
    environment: (ctx) => ({ PLATFORM_APPLICATION_ARN: ctx.push.application.arn }),
    grants: (ctx, fn) => ctx.push.grantSubscribe(fn),
  },
  WebhookFeedly: {
    description: "Accepts a URL from Feedly and emits DownloadRequested",
    memoryMb: 512,
    database: "connect",
    group: "background",
    environment: (ctx) => ({
      SNS_QUEUE_URL: ctx.pushQueue.url,
      IDEMPOTENCY_TABLE_NAME: ctx.idempotency.table.name,
      EVENT_BUS_NAME: ctx.events.bus.name,
    }),
    grants: (ctx, fn) => {
      ctx.events.grantPutEvents(fn);
      ctx.bucket.grantReadObjects(fn);
      ctx.bucket.grantWriteObjects(fn);
      ctx.pushQueue.grantSendMessages(fn);
      ctx.idempotency.grantReadWriteItems(fn);
    },
  },
} satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof FUNCTIONS;
export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

/** The database role a function connects as: `lambda_list_files` for ListFiles. */
export function databaseRoleName(name: FunctionName): string | undefined {
  const spec: FunctionSpec = FUNCTIONS[name];
  if (spec.database === "admin") return "admin";
  if (spec.database === "none") return undefined;
  return `lambda_${name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/DSQL/g, "Dsql")
    .toLowerCase()}`;
}
