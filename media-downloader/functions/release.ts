import { DataResource, Op, TerraformLocal } from "cdktf";
import { Construct } from "constructs";

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
  readonly guard: DataResource;

  constructor(scope: Construct, id: string, props: ReleaseProps) {
    super(scope, id);
    this.bucket = props.artifactsBucket;
    this.edgeBucket = props.edgeArtifactsBucket;
    this.id = props.release ?? UNRELEASED;
    // A precondition must reference another object, so the release id is a local.
    const releaseLocal = new TerraformLocal(this, "id", this.id);
    this.guard = new DataResource(this, "guard", {
      input: { release: this.id },
      lifecycle: {
        precondition: [
          {
            condition: Op.neq(releaseLocal.expression, UNRELEASED),
            errorMessage:
              "No Lambda release is configured, so this deploy would ship missing code. Build and upload the " +
              "artifacts to s3://" +
              props.artifactsBucket +
              "/releases/<release>/, then set MEDIA_DOWNLOADER_RELEASE=<release> (or artifacts.release in config/) and synth again.",
          },
        ],
      },
    });
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
