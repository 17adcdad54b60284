import { prepareWorkingCopy, providerOverride, type StackJson } from "../../lib/engine/working-copy";

/** A synthesized stack in miniature: S3 backend, two aws providers, the sops provider and data source. */
function synthesized(): StackJson {
  return {
    "//": { metadata: { backend: "s3" } },
    terraform: {
      backend: { s3: { bucket: "state", key: "k", region: "us-west-2" } },
      required_providers: {
        aws: { source: "hashicorp/aws", version: "5.100.0" },
        sops: { source: "carlpett/sops", version: "1.2.1" },
      },
    },
    provider: {
      aws: [
        { region: "us-west-2", allowed_account_ids: ["123456789012"] },
        { alias: "us_east_1", region: "us-east-1" },
      ],
      sops: [{}],
    },
    data: {
      sops_file: { secrets: { source_file: "${path.root}/secrets.enc.yaml", provider: "sops" } },
      aws_iam_policy_document: { doc: { statement: [] } },
    },
    locals: { existing: "value" },
    resource: {
      aws_lambda_function: {
        fn: {
          function_name: "stag-fn",
          environment: {
            variables: {
              TOKEN: '${data.sops_file.secrets.data["github.issueToken"]}',
              BOTH: 'a-${data.sops_file.secrets.data["x.y"]}-${jsonencode({"k" = data.sops_file.secrets.data["x.y"]})}',
              UNRELATED: "${data.aws_iam_policy_document.doc.json}",
            },
          },
          depends_on: ["data.sops_file.secrets", "aws_iam_role.r"],
        },
      },
    },
  };
}

describe("the offline working copy", () => {
  const copy = prepareWorkingCopy("staging-stack", synthesized());

  test("the backend becomes local", () => {
    expect(copy.main.terraform?.backend).toEqual({ local: { path: "terraform.tfstate" } });
  });

  test("the sops provider, its requirement and its data source are removed, nothing else", () => {
    expect(copy.main.terraform?.required_providers).toEqual({
      aws: { source: "hashicorp/aws", version: "5.100.0" },
    });
    expect(Object.keys(copy.main.provider ?? {})).toEqual(["aws"]);
    expect(copy.main.data).toEqual({ aws_iam_policy_document: { doc: { statement: [] } } });
    expect(copy.main.locals).toEqual({ existing: "value" });
    expect(copy.main["//"]).toEqual({ metadata: { backend: "s3" } });
  });

  test("each secret reference reads a fake value from a local map", () => {
    const fn = (copy.main.resource as Record<string, Record<string, Record<string, unknown>>>)
      .aws_lambda_function.fn;
    expect(fn.environment).toEqual({
      variables: {
        TOKEN: '${local.offline_preview_sops_secrets["github.issueToken"]}',
        BOTH: 'a-${local.offline_preview_sops_secrets["x.y"]}-${jsonencode({"k" = local.offline_preview_sops_secrets["x.y"]})}',
        UNRELATED: "${data.aws_iam_policy_document.doc.json}",
      },
    });
    expect(fn.depends_on).toEqual(["aws_iam_role.r"]);
    expect(copy.fakeSecrets).toEqual({
      locals: {
        offline_preview_sops_secrets: {
          "github.issueToken": "FAKE-TEST-VALUE-github.issueToken",
          "x.y": "FAKE-TEST-VALUE-x.y",
        },
      },
    });
    expect(copy.replacedKeys).toEqual(["secrets.github.issueToken", "secrets.x.y"]);
  });

  test("the input is not modified", () => {
    const input = synthesized();
    prepareWorkingCopy("staging-stack", input);
    expect(input).toEqual(synthesized());
  });

  test("the provider override covers the default provider and every alias, with fake keys", () => {
    const override = providerOverride(synthesized()) as { provider: { aws: Record<string, unknown>[] } };
    expect(override.provider.aws.map((p) => p.alias)).toEqual([undefined, "us_east_1"]);
    for (const p of override.provider.aws) {
      expect(p).toMatchObject({
        access_key: expect.stringMatching(/^AKIA/),
        secret_key: expect.stringContaining("fake"),
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        allowed_account_ids: null,
      });
    }
  });

  test("a sops reference the preview cannot replace is a clear error", () => {
    const stack = synthesized();
    (stack.locals as Record<string, unknown>).raw = "${data.sops_file.secrets.raw}";
    expect(() => prepareWorkingCopy("staging-stack", stack)).toThrow(
      /^staging-stack: unsupported sops reference data\.sops_file\.secrets\.raw/,
    );
  });
});
