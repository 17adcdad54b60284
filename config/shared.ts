/**
 * Settings that are identical in every environment today. They live here once; an environment file
 * spreads them and overrides only what differs, so `git diff config/` shows every environment difference.
 */
export const ACCOUNT_ID = "123456789012";
export const REGION = "us-west-2";
export const STATE_BUCKET = "lifegames-media-downloader-tfstate";

export const shared = {
  api: {
    executionLogging: "INFO",
    reservedClientIp: "203.0.113.10",
  },
  cdn: {
    corsAllowedOrigins: ["https://j0nathan-ll0yd.github.io", "https://jonathanlloyd.me"],
    geoAllowList: ["US"],
    mediaPriceClass: "PriceClass_100",
  },
  defaultFile: { key: "default-file.mp4", sizeBytes: 436743, contentType: "video/mp4" },
  artifacts: {
    bucket: "lifegames-media-downloader-artifacts",
    edgeBucket: "lifegames-media-downloader-artifacts-us-east-1",
  },
} as const;
