import type { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { DeployGuard } from "../guard/deploy-guard";

/** Marker used when no release is configured: synth still works, a plan refuses it. */
export const UNRELEASED = "unreleased";

export interface ReleaseProps {
  readonly artifactsBucket: string;
  /** The us-east-1 copy of the artifacts, for the Lambda@Edge function. */
  readonly edgeArtifactsBucket: string;
  /** Release id (e.g. a git SHA); undefined when none was configured. */
  readonly release?: string;
}

/**
 * Names the build artifacts of one release. The Lambda zips, layers and static files of a release live
 * under `releases/<release>/` in the artifacts bucket, so staging and production deploy the same bytes:
 * production is promoted by deploying the release id that staging already runs.
 */
export class Release extends Construct {
  readonly bucket: string;
  readonly edgeBucket: string;
  readonly id: string;
  /** Depend on this so nothing ships when no release is set (the plan fails with a clear message). */
  readonly guard: TerraformResource;

  constructor(scope: Construct, id: string, props: ReleaseProps) {
    super(scope, id);
    this.bucket = props.artifactsBucket;
    this.edgeBucket = props.edgeArtifactsBucket;
    this.id = props.release ?? UNRELEASED;
    this.guard = new DeployGuard(this, "guard", {
      value: this.id,
      refuse: [UNRELEASED],
      message:
        "No Lambda release is configured, so this deploy would ship missing code. Build and upload the " +
        `artifacts to s3://${props.artifactsBucket}/releases/<release>/, then set ` +
        "its id in config/releases.ts (or MEDIA_DOWNLOADER_RELEASE=<release> for one run) and synth again.",
    }).resource;
  }

  /** Key of a Lambda function's zip. */
  functionKey(functionName: string): string {
    return `releases/${this.id}/lambdas/${functionName}.zip`;
  }

  /** Key of a layer's zip. */
  layerKey(layerName: string): string {
    return `releases/${this.id}/layers/${layerName}.zip`;
  }

  /** Key of a static file shipped with the release. */
  staticKey(fileName: string): string {
    return `releases/${this.id}/static/${fileName}`;
  }
}
