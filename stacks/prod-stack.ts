import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config";
import { MediaDownloaderStack } from "./media-downloader-stack";

/** Production: applied only after staging, behind a manual approval. */
export class ProdStack extends MediaDownloaderStack {
  static readonly ID = "prod-stack";

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, ProdStack.ID, config);
  }
}
