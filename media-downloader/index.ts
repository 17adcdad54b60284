import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../config";
import type { MediaDownloaderSecrets } from "./secrets";

export interface MediaDownloaderProps {
  readonly config: EnvironmentConfig;
  readonly providers: { readonly regional: AwsProvider; readonly usEast1: AwsProvider };
  readonly secrets: MediaDownloaderSecrets;
}

export class MediaDownloader extends Construct {
  constructor(scope: Construct, id: string, props: MediaDownloaderProps) {
    super(scope, id);
    void props;
  }
}
