import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { secretKeys } from "../../media-downloader/secrets";
import { environmentSecrets } from "../../stacks/environment-secrets";
import { SOPS_PROVIDER_SOURCE, SOPS_PROVIDER_VERSION, SopsProvider } from "../../stacks/sops/provider";
import { SopsFile } from "../../stacks/sops/sops-file";
import { environments } from "./helpers";

interface Synthesized {
  terraform: { required_providers: Record<string, { source: string; version: string }> };
  provider: Record<string, unknown[]>;
  data: { sops_file: Record<string, { source_file: string; input_type?: string; provider?: string }> };
  output: Record<string, { value: string }>;
}

function synth(build: (stack: TerraformStack) => void): Synthesized {
  const stack = new TerraformStack(Testing.app(), "test");
  build(stack);
  return JSON.parse(Testing.synth(stack)) as Synthesized;
}

describe("sops provider bindings", () => {
  it("declare carlpett/sops 1.x and a sops_file data source with its source file", () => {
    const json = synth((stack) => {
      const provider = new SopsProvider(stack, "sops");
      new SopsFile(stack, "secrets", { sourceFile: "secrets/example.enc.yaml", provider });
    });
    expect(SOPS_PROVIDER_SOURCE).toBe("carlpett/sops");
    expect(json.terraform.required_providers.sops).toEqual({
      source: "carlpett/sops",
      version: SOPS_PROVIDER_VERSION,
    });
    expect(json.terraform.required_providers.sops.version).toMatch(/^(~> ?)?1\./);
    expect(json.provider.sops).toEqual([{}]);
    expect(json.data.sops_file.secrets.source_file).toBe("secrets/example.enc.yaml");
    expect(json.data.sops_file.secrets).not.toHaveProperty("input_type");
    expect(json.data.sops_file.secrets.provider).toBe("sops");
  });

  it("render value(key) as a reference into the decrypted map, never a literal", () => {
    const json = synth((stack) => {
      const file = new SopsFile(stack, "secrets", { sourceFile: "s.enc.yaml", inputType: "yaml" });
      new TerraformOutput(stack, "value", { value: file.value("a.b"), sensitive: true });
    });
    expect(json.data.sops_file.secrets.input_type).toBe("yaml");
    expect(json.output.value.value).toBe('${data.sops_file.secrets.data["a.b"]}');
  });

  it("refuse a key that could break out of the expression", () => {
    const app = Testing.app();
    const file = new SopsFile(new TerraformStack(app, "test"), "secrets", { sourceFile: "s.enc.yaml" });
    expect(() => file.value('a"]} ${x')).toThrow(/expected letters, digits/);
  });

  it("give the stack a reference for every key the construct reads, from its own file only", () => {
    const { production } = environments();
    let secrets: Record<string, string> = {};
    const json = synth((stack) => {
      secrets = environmentSecrets(stack, production) as unknown as Record<string, string>;
      for (const [role, ref] of Object.entries(secrets)) new TerraformOutput(stack, role, { value: ref });
    });
    expect(Object.keys(json.data.sops_file)).toEqual(["secrets"]);
    expect(json.data.sops_file.secrets.source_file).toMatch(/secrets\/secrets\.prod\.enc\.yaml$/);
    const keys = secretKeys(production.apns.secretPath);
    expect(Object.keys(secrets).sort()).toEqual(Object.keys(keys).sort());
    for (const [role, key] of Object.entries(keys)) {
      expect(json.output[role].value).toBe(`\${data.sops_file.secrets.data["${key}"]}`);
    }
  });
});
