import { join, resolve } from "node:path";
import { usesSampleRecipients } from "../../lib/sops/synth";
import { testEnvironments } from "../helpers/environments";
import { expectedFor } from "../helpers/expected";
import { synthStack } from "../helpers/synth";

const REPO_ROOT = resolve(__dirname, "../..");

describe.each(testEnvironments())("$stackId", ({ name, stackId: id, config }) => {
  const json = synthStack(id);
  // Written expectations for the known environments; an added one is checked against its config (wiring).
  const want = expectedFor(name);
  const environment = want?.environment ?? config.environment;
  const secretsFile = want?.secretsFile ?? config.secretsFile;

  test("keeps state in its own S3 key with encryption and S3 lockfile locking", () => {
    const backend = (json.terraform.backend as { s3: Record<string, unknown> }).s3;
    expect(backend).toEqual({
      bucket: "lifegames-media-downloader-tfstate",
      key: want?.stateKey ?? config.backend.key,
      region: "us-west-2",
      encrypt: true,
      use_lockfile: true,
    });
  });

  test("pins hashicorp/aws to exactly 5.100.0 and carlpett/sops to 1.x", () => {
    const providers = json.terraform.required_providers as Record<
      string,
      { source: string; version: string }
    >;
    expect(providers.aws).toEqual({ source: "hashicorp/aws", version: "5.100.0" });
    expect(providers.sops.source).toBe("carlpett/sops");
    expect(providers.sops.version).toMatch(/^1\.\d+\.\d+$/);
  });

  test("both AWS providers are locked to the environment's account and tag every resource", () => {
    const aws = json.provider.aws;
    expect(aws.map((p) => p.region)).toEqual(["us-west-2", "us-east-1"]);
    expect(aws[1].alias).toBe("us_east_1");
    for (const provider of aws) {
      expect(provider.allowed_account_ids).toEqual([want?.accountId ?? config.aws.accountId]);
      expect(provider.default_tags).toEqual([
        { tags: { Environment: environment, Project: "media-downloader", ManagedBy: "cdktf" } },
      ]);
    }
  });

  test("refuses to deploy secrets encrypted to the public sample recipients", () => {
    const guard = Object.values(json.resource.terraform_data).find((r) =>
      String(
        (r.lifecycle as { precondition: Array<{ error_message: string }> }).precondition[0].error_message,
      ).includes(secretsFile),
    )!;
    const [pre] = (guard.lifecycle as { precondition: Array<{ condition: string; error_message: string }> })
      .precondition;
    expect(pre.condition).toMatch(/!= "sample-recipients"/);
    // The committed sample files are refused; a file encrypted to the environment's own keys passes.
    if (usesSampleRecipients(join(REPO_ROOT, secretsFile))) {
      expect(pre.error_message).toMatch(/sample age recipient age1\w+, whose private key is public/);
      expect(Object.values(json.locals ?? {})).toContain("sample-recipients");
    } else {
      expect(Object.values(json.locals ?? {})).toContain("own-recipients");
    }
  });

  test("reads only its own SOPS file", () => {
    const files = Object.values(json.data?.sops_file ?? {}).map((d) => d.source_file);
    expect(files).toEqual([`\${path.root}/../../../${secretsFile}`]);
  });

  test("secrets reach functions and the APNS application as references, never literals", () => {
    const text = JSON.stringify(json);
    const fns = json.resource.aws_lambda_function;
    const env = (fn: string) =>
      (
        Object.values(fns).find((f) => f.function_name === `${want?.prefix ?? config.prefix}-${fn}`)!
          .environment as {
          variables: Record<string, string>;
        }
      ).variables;
    expect(env("StartFileUpload").GITHUB_PERSONAL_TOKEN).toBe(
      '${data.sops_file.secrets.data["github.issueToken"]}',
    );
    expect(env("LoginUser").BETTER_AUTH_SECRET).toBe('${data.sops_file.secrets.data["platform.key"]}');
    const app = Object.values(json.resource.aws_sns_platform_application)[0];
    expect(app.platform_credential).toBe('${data.sops_file.secrets.data["apns.privateKey"]}');
    expect(text).not.toMatch(/apns\.staging\./);
  });

  test("exposes the reference's outputs, with the API key and migration result sensitive", () => {
    expect(Object.keys(json.output).sort()).toEqual(
      [
        "api_gateway_api_key",
        "api_gateway_stage",
        "api_gateway_subdomain",
        "cloudfront_distribution_domain",
        "cloudfront_media_files_domain",
        "cloudwatch_dashboard_url",
        "download_queue_arn",
        "download_queue_url",
        "dsql_cluster_arn",
        "dsql_cluster_endpoint",
        "event_bus_arn",
        "event_bus_name",
        "idempotency_table_arn",
        "idempotency_table_name",
        "migration_result",
        "operations_alerts_sns_topic_arn",
      ].sort(),
    );
    expect(json.output.api_gateway_api_key.sensitive).toBe(true);
    expect(json.output.migration_result.sensitive).toBe(true);
  });
});
