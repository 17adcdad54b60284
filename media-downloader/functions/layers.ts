import { LambdaLayerVersion } from "@cdktf/provider-aws/lib/lambda-layer-version";
import { Construct } from "constructs";
import { LAMBDA_RUNTIME, type DeclaredLayer } from "./lambda-function";
import type { Release } from "./release";

export interface LayerSpec {
  readonly description: string;
  /** Declared unzipped size in MB (Lambda counts code plus layers against 250 MB unzipped). */
  readonly unzippedMb: number;
  /** Where the size comes from. */
  readonly source: string;
}

/**
 * The download toolchain StartFileUpload runs: binaries built for x86_64, like the function. Sizes are
 * declared so the lambda-package-limits policy can add them up at synth; a build that grows a layer past
 * its declared size must raise it here (and the rule then says whether it still fits).
 */
export const DOWNLOAD_LAYERS = {
  "yt-dlp": {
    description: "yt-dlp binary and cookies",
    unzippedMb: 30,
    source: "estimate: yt-dlp_linux one-file PyInstaller build (~30 MB) plus cookies; not measured here",
  },
  ffmpeg: {
    description: "static ffmpeg (amd64)",
    unzippedMb: 78,
    source:
      "estimate: ffmpeg binary of johnvansickle's 7.0.2 amd64 static release (reference layers/ffmpeg/VERSION)",
  },
  "bgutil-pot-provider": {
    description: "PO token provider for yt-dlp (Python)",
    unzippedMb: 1,
    source: "estimate: bgutil-ytdlp-pot-provider>=0.7.2 yt-dlp plugin, pure Python (reference layers/bgutil)",
  },
  "deno-runtime": {
    description: "Deno runtime for yt-dlp's JavaScript challenges",
    unzippedMb: 138,
    source: "reference terraform/feedly_webhook.tf@4823a86c: 'Deno (138MB)'",
  },
} as const satisfies Record<string, LayerSpec>;

export interface DownloadLayersProps {
  readonly namePrefix: string;
  readonly release: Release;
}

/** The four download layers, published from the release's artifacts. */
export class DownloadLayers extends Construct {
  readonly layers: DeclaredLayer[];

  constructor(scope: Construct, id: string, props: DownloadLayersProps) {
    super(scope, id);
    this.layers = Object.entries(DOWNLOAD_LAYERS).map(([name, spec]) => ({
      name,
      unzippedMb: spec.unzippedMb,
      arn: new LambdaLayerVersion(this, name, {
        layerName: `${props.namePrefix}-${name}`,
        description: `${spec.description} (release ${props.release.id})`,
        s3Bucket: props.release.bucket,
        s3Key: props.release.layerKey(name),
        compatibleRuntimes: [LAMBDA_RUNTIME],
        compatibleArchitectures: ["x86_64"],
        dependsOn: [props.release.guard],
      }).arn,
    }));
  }
}

/** AWS Distro for OpenTelemetry layer (AWS-managed) for the function's architecture and region. */
export function adotLayer(region: string, architecture: "arm64" | "x86_64"): DeclaredLayer {
  const arch = architecture === "arm64" ? "arm64" : "amd64";
  return {
    name: "aws-otel-nodejs",
    arn: `arn:aws:lambda:${region}:901920570463:layer:aws-otel-nodejs-${arch}-ver-1-30-2:1`,
    // estimate: the ADOT Node.js layer (collector extension plus instrumentation) unzips to about 40 MB.
    unzippedMb: 40,
  };
}
