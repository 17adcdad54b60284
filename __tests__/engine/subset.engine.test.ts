import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sharedSynth } from "../helpers/shared-preview";
import { checkSubset, checkSubsetDir, type SubsetRule } from "../../lib/engine/subset";
import { FILES, prepareWorkingCopy, type StackJson } from "../../lib/engine/working-copy";

/** The JSON stays inside what Terraform and OpenTofu share: every stack main.ts creates, every working copy. */

describe("every synthesized stack and its preview working copy stay in the shared subset", () => {
  let tmp: string;
  let stacks: string[];
  let outdir: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "engine-subset-"));
    // The run's one synth of the app as the preview runs it (every stack main.ts creates).
    outdir = (await sharedSynth()).outdir;
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    stacks = Object.keys(manifest.stacks);
  }, 120_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test("main.ts synthesized its stacks", () => {
    // Every stack the app creates (read from its manifest, not listed here); today at least staging and prod.
    expect(stacks).toEqual(expect.arrayContaining(["staging-stack", "prod-stack"]));
  });

  test("each synthesized stack directory", () => {
    for (const stack of stacks) {
      const dir = join(outdir, "stacks", stack);
      expect(readdirSync(dir)).toContain("cdk.tf.json");
      expect([stack, checkSubsetDir(dir)]).toEqual([stack, []]);
    }
  });

  test("each working copy (cdk.tf.json, provider override, fake secrets)", () => {
    for (const stack of stacks) {
      const source = JSON.parse(
        readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"),
      ) as StackJson;
      const copy = prepareWorkingCopy(stack, source);
      const dir = join(tmp, "copies", stack);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, FILES.main), JSON.stringify(copy.main));
      writeFileSync(join(dir, FILES.override), JSON.stringify(copy.override));
      writeFileSync(join(dir, FILES.fakeSecrets), JSON.stringify(copy.fakeSecrets));
      expect(readdirSync(dir).sort()).toEqual([FILES.main, FILES.fakeSecrets, FILES.override].sort());
      expect([stack, checkSubsetDir(dir)]).toEqual([stack, []]);
    }
  });
});

/** A small stack in the shared subset; each broken fixture below changes one thing. */
function valid(): Record<string, unknown> {
  return {
    "//": { metadata: { version: "0.21.0" } },
    terraform: {
      backend: {
        s3: { bucket: "state", key: "env/x/terraform.tfstate", region: "us-west-2", use_lockfile: true },
      },
      required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } },
      required_version: ">= 1.10.0",
    },
    provider: { aws: [{ region: "us-west-2", default_tags: [{ tags: { Project: "p" } }] }] },
    resource: {
      aws_s3_bucket: {
        bucket: {
          "//": { metadata: { path: "stack/bucket" } },
          bucket: '${lower(join("-", ["stag", "media"]))}',
          tags: { Name: '${format("%s-x", local.prefix)}' },
          lifecycle: { prevent_destroy: true },
        },
      },
      aws_iam_policy: { p: { policy: '{"Resource": "arn:aws:s3:::b/$${aws:username}/*"}' } },
    },
    locals: { prefix: "stag" },
    output: { name: { value: "${aws_s3_bucket.bucket.bucket}" } },
    removed: [{ from: "aws_s3_bucket.old", lifecycle: { destroy: false } }],
    moved: [{ from: "aws_s3_bucket.a", to: "aws_s3_bucket.bucket" }],
  };
}

const rules = (json: unknown) => checkSubset(json).map((f) => [f.rule, f.where]);

test("the valid fixture passes (so each broken one fails for its own reason)", () => {
  expect(checkSubset(valid())).toEqual([]);
});

// Fixtures are mutated by JSON path; a loose type keeps each one a single readable line.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const BROKEN: Array<[SubsetRule, (j: Loose) => void, string[]]> = [
  ["top-level-keys", (j) => (j.action = { x: {} }), ["action"]],
  ["ephemeral", (j) => (j.ephemeral = { aws_secretsmanager_secret_version: { s: {} } }), ["ephemeral"]],
  [
    "comment-placement",
    (j) => (j.resource.aws_s3_bucket.bucket.tags["//"] = "note"),
    ["resource.aws_s3_bucket.bucket.tags.//"],
  ],
  ["terraform-block", (j) => (j.terraform.encryption = { key_provider: {} }), ["terraform.encryption"]],
  ["terraform-block", (j) => (j.terraform.cloud = { organization: "o" }), ["terraform.cloud"]],
  [
    "backend",
    (j) => (j.terraform.backend.s3.role_arn = "arn:aws:iam::1:role/r"),
    ["terraform.backend.s3.role_arn"],
  ],
  ["backend", (j) => (j.terraform.backend = { remote: { organization: "o" } }), ["terraform.backend.remote"]],
  [
    "provider-source",
    (j) => (j.terraform.required_providers.aws.source = "registry.terraform.io/hashicorp/aws"),
    ["terraform.required_providers.aws.source"],
  ],
  [
    "provider-for-each",
    (j) => (j.provider.aws[0].for_each = '${toset(["a"])}'),
    ["provider.aws[0].for_each"],
  ],
  [
    "lifecycle-enabled",
    (j) => (j.resource.aws_s3_bucket.bucket.lifecycle.enabled = false),
    ["resource.aws_s3_bucket.bucket.lifecycle.enabled"],
  ],
  [
    "write-only",
    (j) => (j.resource.aws_db_instance = { db: { password_wo: "x", password_wo_version: 1 } }),
    ["resource.aws_db_instance.db.password_wo", "resource.aws_db_instance.db.password_wo_version"],
  ],
  ["removed-destroy", (j) => delete j.removed[0].lifecycle, ["removed[0].lifecycle.destroy"]],
  ["removed-destroy", (j) => (j.removed[0].lifecycle.destroy = "false"), ["removed[0].lifecycle.destroy"]],
  ["functions", (j) => (j.locals.x = '${urldecode("a%20b")}'), ["locals.x"]],
  ["functions", (j) => (j.locals.y = '${upper(cidrcontains("10.0.0.0/8", "10.1.1.1"))}'), ["locals.y"]],
  ["functions", (j) => (j.locals.z = '${provider::aws::arn_parse("arn:aws:s3:::b")}'), ["locals.z"]],
];

test.each(BROKEN)("broken fixture: %s is flagged", (rule, breakIt, wheres) => {
  const json = valid();
  breakIt(json);
  expect(rules(json)).toEqual(wheres.map((where) => [rule, where]));
});

test("function names inside string literals and escaped $${ are not calls", () => {
  const json = valid();
  (json.locals as Record<string, string>).s = '${"urldecode(x)"}';
  (json.locals as Record<string, string>).e = "$${urldecode(x)}";
  (json.locals as Record<string, string>).cron = "cron(0 3 * * ? *)";
  expect(checkSubset(json)).toEqual([]);
});

test("broken fixture: .tofu and .tofu.json files are flagged", () => {
  const dir = mkdtempSync(join(tmpdir(), "engine-subset-files-"));
  try {
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(valid()));
    writeFileSync(join(dir, "main.tofu"), "");
    writeFileSync(join(dir, "cdk.tofu.json"), "{}");
    expect(checkSubsetDir(dir).map((f) => [f.rule, f.where])).toEqual([
      ["tofu-files", "cdk.tofu.json"],
      ["tofu-files", "main.tofu"],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
