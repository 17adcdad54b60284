import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { decryptSops } from "../../lib/sops/sops-crypto";
import { leaves, readSopsFile } from "../../lib/sops/sops-file";
import { usesSampleRecipients } from "../../lib/sops/synth";
import { testIdentities } from "../secrets/helpers";
import { REPO_ROOT, type PreviewRun } from "../../lib/engine";
import { REGISTRY_HOST } from "../../lib/engine/engine";
import { report } from "../../lib/engine/report";
import { stackIds, testEnvironments } from "../helpers/environments";
import { expectedFor } from "../helpers/expected";
import { engineProblem, underCi as ci } from "../helpers/engine";
import { sharedPreview, sharedSynth } from "../helpers/shared-preview";
import { SYNTH_DIR_ENV } from "../helpers/synth-cache";

/**
 * Plans both stacks offline with the real engine, in parallel, sharing one provider install. Without an
 * engine the suite says so in one line: it fails under CI=true and is skipped otherwise.
 */

const problem = engineProblem();

if (problem) {
  if (ci) {
    test("a Terraform engine is available (required under CI=true)", () => {
      throw new Error(`engine tests cannot run: ${problem}`);
    });
  } else {
    process.stderr.write(`SKIPPING engine tests: ${problem}\n`);
    test.skip(`offline plan of both stacks (skipped: ${problem})`, () => {});
  }
} else {
  describe("offline preview of both stacks", () => {
    const STACKS = stackIds();
    const ENVIRONMENTS = Object.fromEntries(
      testEnvironments().map((e) => [e.stackId, expectedFor(e.name)?.environment ?? e.config.environment]),
    );
    let workDir: string;
    let synthDir: string;
    let run: PreviewRun;

    beforeAll(async () => {
      // The run's one preview of every stack (shared with bootstrap-preview and convergence).
      run = await sharedPreview();
      workDir = dirname(run.stacks[0].dir);
      synthDir = dirname((await sharedSynth()).outdir);
      process.stderr.write(
        `${report(run)
          .text.split("\n")
          .filter((l) => /timings|prepare|synth|total/.test(l))
          .join("\n")}\n`,
      );
    }, 240_000);

    const stack = (id: string) => run.stacks.find((s) => s.stack === id)!;

    test("both stacks planned, and wrote their plan JSON", () => {
      expect(run.stacks.map((s) => s.stack)).toEqual(expect.arrayContaining([...STACKS]));
      for (const s of STACKS.map(stack)) {
        expect(existsSync(s.planFile)).toBe(true);
        expect(s.planJson.format_version).toBeDefined();
        expect(s.summary.resources).toBeGreaterThan(100);
        // A fresh local state: everything is created, nothing else.
        expect(s.summary.byAction.create).toBe(s.summary.resources);
      }
    });

    test.each(STACKS)("%s plans the expected resource types", (id) => {
      const types = Object.keys(stack(id).summary.byType);
      expect(types).toEqual(
        expect.arrayContaining([
          "aws_lambda_function",
          "aws_lambda_permission",
          "aws_iam_role",
          "aws_iam_role_policy",
          "aws_cloudwatch_log_group",
          "aws_s3_bucket",
          "aws_dynamodb_table",
          "aws_dsql_cluster",
          "aws_sqs_queue",
          "aws_sns_topic",
        ]),
      );
    });

    test.each(STACKS)("%s passes the plan policies", (id) => {
      expect(stack(id).violations).toEqual([]);
    });

    test.each(STACKS)("%s carries its environment in every tags_all", (id) => {
      const changes = stack(id).planJson.resource_changes ?? [];
      const tagged = changes.filter((rc) => rc.change.after && "tags_all" in (rc.change.after as object));
      expect(tagged.length).toBeGreaterThan(50);
      for (const rc of tagged) {
        expect((rc.change.after as { tags_all: Record<string, string> }).tags_all).toMatchObject({
          Environment: ENVIRONMENTS[id],
          Project: "media-downloader",
          ManagedBy: "cdktf",
        });
      }
    });

    test.each(STACKS)("%s was planned with fake secrets and fake credentials only", (id) => {
      const s = stack(id);
      const main = readFileSync(join(s.dir, "cdk.tf.json"), "utf8");
      expect(main).not.toMatch(/data\.sops_file|carlpett\/sops/);
      expect(JSON.parse(main).provider.sops).toBeUndefined();
      expect(JSON.parse(main).terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
      expect(s.fakeSecretKeys.length).toBeGreaterThan(0);
      expect(JSON.stringify(s.planJson.planned_values)).toContain("FAKE-TEST-VALUE-");
      const override = JSON.parse(readFileSync(join(s.dir, "zz_offline_override.tf.json"), "utf8"));
      expect(override.provider.aws.map((p: { alias?: string }) => p.alias ?? "default")).toEqual([
        "default",
        "us_east_1",
      ]);
    });

    test("no decrypted secret reaches the synthesized output, the working copies, the plan or its summary", async () => {
      const plaintexts: string[] = [];
      // Every file the test keys open (the sample files); one encrypted to real keys cannot be read here.
      const files = testEnvironments()
        .map((e) => e.config.secretsFile)
        .filter((file) => usesSampleRecipients(join(REPO_ROOT, file)));
      for (const file of files) {
        const decrypted = await decryptSops(readSopsFile(join(REPO_ROOT, file), file), testIdentities());
        expect(decrypted).toBeDefined();
        for (const leaf of leaves(decrypted!.data)) plaintexts.push(String(leaf.value));
      }
      expect(plaintexts.length).toBeGreaterThanOrEqual(9 * files.length);
      // Everything the synth and the preview wrote (skipping the provider binaries), plus the report.
      const texts: Array<[string, string]> = [["report", report(run).text]];
      // Other engine suites plan in this run's shared directories meanwhile: the provider's plugin sockets
      // (not files: no content) come and go in its TMPDIR, so a vanished entry or a socket is skipped.
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          if ([".terraform", "plugin-cache", "mirror", "tfplan"].includes(name)) continue;
          const entry = statSync(path, { throwIfNoEntry: false });
          if (entry?.isDirectory()) walk(path);
          else if (entry?.isFile()) texts.push([path, readFileSync(path, "utf8")]);
        }
      };
      walk(synthDir);
      walk(workDir);
      expect(texts.some(([path]) => path.endsWith("plan.json"))).toBe(true);
      expect(
        texts.some(([path]) => path.endsWith(join("cdktf.out", "stacks", "staging-stack", "cdk.tf.json"))),
      ).toBe(true);
      for (const [path, text] of texts) {
        for (const secret of plaintexts) expect([path, text.includes(secret)]).toEqual([path, false]);
      }
    });

    test("the shared engine environment's TMPDIR outlives this file (later suites start the provider with it)", () => {
      // The provider makes its plugin socket in TMPDIR; a test file's own TMPDIR (setup.ts) is removed
      // with the file, and a later suite's `providers schema` then failed the plugin handshake.
      const [install] = run.installs;
      expect(install.env.TMPDIR).toBeDefined();
      expect(install.env.TMPDIR).not.toBe(tmpdir());
      expect(install.env.TMPDIR!.startsWith(`${process.env[SYNTH_DIR_ENV]}/`)).toBe(true);
      expect(existsSync(install.env.TMPDIR!)).toBe(true);
    });

    test("the stacks shared one init and one provider install, under the engine's own registry host", () => {
      // The host the engine itself names (REGISTRY_HOST by the engine's answer to `version`), not a literal.
      expect(run.engine.host).toBe(REGISTRY_HOST[run.engine.kind]);
      expect(run.installs).toHaveLength(1);
      const [install] = run.installs;
      expect(install.dir).toMatch(
        new RegExp(`/\\.provider-install/5\\.100\\.0-${run.engine.kind}-[0-9a-f]{16}$`),
      );
      expect(
        existsSync(join(install.dataDir, "providers", run.engine.host, "hashicorp", "aws", "5.100.0")),
      ).toBe(true);
      for (const s of STACKS.map(stack)) {
        // No per-stack data directory: plan and show used the shared one (TF_DATA_DIR).
        expect(existsSync(join(s.dir, ".terraform"))).toBe(false);
        expect(readFileSync(join(s.dir, ".terraform.lock.hcl"), "utf8")).toContain(
          `provider "${run.engine.host}/hashicorp/aws"`,
        );
        // Every aws resource in the plan is addressed by that host (terraform_data is built in).
        const aws = (s.planJson.resource_changes ?? []).filter((rc) => rc.type.startsWith("aws_"));
        expect(aws.length).toBeGreaterThan(100);
        const names = new Set(aws.map((rc) => rc.provider_name));
        expect([...names]).toEqual([`${run.engine.host}/hashicorp/aws`]);
      }
    });
  });
}
