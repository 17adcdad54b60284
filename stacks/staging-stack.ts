import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config";
import { MediaDownloaderStack } from "./media-downloader-stack";

/** Staging: every change is applied here first. */
export class StagingStack extends MediaDownloaderStack {
  static readonly ID = "staging-stack";

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, StagingStack.ID, config);
  }
}
