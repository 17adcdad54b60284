import { Testing } from "cdktf";
import { Naming } from "../../media-downloader/naming";
import { MediaDownloaderStack } from "../../stacks/media-downloader-stack";
import { environments } from "../helpers/environments";

test("names carry the prefix unless config keeps a name for that base", () => {
  const naming = new Naming("stag", { "media-files": "legacy-media-bucket", iOSAppKey: "iOSAppKey" });
  expect(naming.globalName("media-files")).toBe("legacy-media-bucket");
  expect(naming.name("iOSAppKey")).toBe("iOSAppKey");
  expect(naming.name("DownloadQueue")).toBe("stag-DownloadQueue");
  expect(naming.globalName("other")).toBe("lifegames-stag-other");
  expect(naming.unusedOverrides()).toEqual([]);
});

test("a stack built with a naming override names its bucket from config", () => {
  const config = {
    ...environments().staging,
    naming: { overrides: { "media-files": "lifegames-stag-legacy" } },
  };
  const stack = new MediaDownloaderStack(Testing.app(), "override-test", config);
  const json = JSON.parse(Testing.synth(stack)) as {
    resource: { aws_s3_bucket: Record<string, { bucket: string }> };
  };
  expect(Object.values(json.resource.aws_s3_bucket).map((b) => b.bucket)).toEqual(["lifegames-stag-legacy"]);
});

test("an override no name is made from is one config error naming the field", () => {
  const config = { ...environments().staging, naming: { overrides: { "media-file": "typo" } } };
  expect(() => new MediaDownloaderStack(Testing.app(), "typo-test", config)).toThrow(
    "invalid configuration:\n  - config/staging: naming.overrides.media-file: no resource is named from media-file",
  );
});
