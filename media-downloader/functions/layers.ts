import { LambdaLayerVersion } from "@cdktf/provider-aws/lib/lambda-layer-version";
import { Construct } from "constructs";
import { LAMBDA_RUNTIME } from "./lambda-function";
import type { Release } from "./release";

/** The download toolchain StartFileUpload runs: binaries built for x86_64, like the function. */
export const DOWNLOAD_LAYERS = {
  "yt-dlp": "yt-dlp binary and cookies",
  ffmpeg: "static ffmpeg (amd64)",
  "bgutil-pot-provider": "PO token provider for yt-dlp (Python)",
  "deno-runtime": "Deno runtime for yt-dlp's JavaScript challenges",
} as const;

export interface DownloadLayersProps {
  readonly namePrefix: string;
  readonly release: Release;
}

/** The four download layers, published from the release's artifacts. */
export class DownloadLayers extends Construct {
  readonly arns: string[];

  constructor(scope: Construct, id: string, props: DownloadLayersProps) {
    super(scope, id);
    this.arns = Object.entries(DOWNLOAD_LAYERS).map(
      ([name, description]) =>
        new LambdaLayerVersion(this, name, {
          layerName: `${props.namePrefix}-${name}`,
          description: `${description} (release ${props.release.id})`,
          s3Bucket: props.release.bucket,
          s3Key: props.release.layerKey(name),
          compatibleRuntimes: [LAMBDA_RUNTIME],
          compatibleArchitectures: ["x86_64"],
          dependsOn: [props.release.guard],
        }).arn,
    );
  }
}

/** AWS Distro for OpenTelemetry layer (AWS-managed) for the function's architecture and region. */
export function adotLayerArn(region: string, architecture: "arm64" | "x86_64"): string {
  const arch = architecture === "arm64" ? "arm64" : "amd64";
  return `arn:aws:lambda:${region}:901920570463:layer:aws-otel-nodejs-${arch}-ver-1-30-2:1`;
}
