import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadAge } from "../../lib/sops/age";

/**
 * README "Add an environment", followed literally in a temporary copy of the repository: a `dev`
 * environment from config alone (no main.ts edit); then the type check and the quick tests in that copy
 * (a step the README missed once broke `npm test` there), synth (which applies the policies) and
 * secrets:check on it.
 */
const ROOT = resolve(__dirname, "../..");
/** What the app and the two commands read; node_modules is linked, not copied. */
const COPIED = [
  "main.ts",
  "package.json",
  "tsconfig.json",
  "cdktf.json",
  ".terraform.lock.hcl",
  ".sops.yaml",
  "config",
  "stacks",
  "bootstrap",
  "media-downloader",
  "policies",
  "lib",
  "scripts",
  "secrets",
  "__tests__",
  "jest.config.cjs",
  "README.md",
  "docs",
];

let copy: string;
let identity: string;

beforeAll(async () => {
  copy = mkdtempSync(join(tmpdir(), "add-environment-"));
  for (const path of COPIED) cpSync(join(ROOT, path), join(copy, path), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
  const age = loadAge();
  identity = await age.generateX25519Identity();
  const recipient = await age.identityToRecipient(identity);

  // Step 1: copy config/staging.ts and change what the README lists.
  const staging = readFileSync(join(copy, "config/staging.ts"), "utf8");
  const edits: [RegExp, string][] = [
    [/export const staging\b/, "export const dev"],
    [/environment: "staging"/, 'environment: "dev"'],
    [/stack: "staging-stack"/, 'stack: "dev-stack"'],
    [/prefix: "stag"/, 'prefix: "dev"'],
    [/stateBackend\("staging"\)/, 'stateBackend("dev")'],
    [/stageName: "staging"/, 'stageName: "dev"'],
    [/shared\("staging"\)/, 'shared("dev")'],
    [/secretsFile: "secrets\/secrets\.staging\.enc\.yaml"/, 'secretsFile: "secrets/secrets.dev.enc.yaml"'],
  ];
  let dev = staging;
  for (const [pattern, replacement] of edits) {
    expect(dev).toMatch(pattern);
    dev = dev.replace(pattern, replacement);
  }
  writeFileSync(join(copy, "config/dev.ts"), dev);

  // Step 2: one entry in ENVIRONMENT_INPUTS.
  const indexFile = join(copy, "config/index.ts");
  const index = readFileSync(indexFile, "utf8");
  expect(index).toMatch(/export const ENVIRONMENT_INPUTS = \{ ([^}]*) \}/);
  writeFileSync(
    indexFile,
    `import { dev } from "./dev";\n${index.replace(
      /export const ENVIRONMENT_INPUTS = \{ ([^}]*) \}/,
      "export const ENVIRONMENT_INPUTS = { $1, dev }",
    )}`,
  );

  // Step 3: its release (none yet) and the environments a release must pass first, in config/releases.ts.
  const releasesFile = join(copy, "config/releases.ts");
  let releases = readFileSync(releasesFile, "utf8");
  for (const [pattern, entry] of [
    [/^export const RELEASES\b.*= \{$/m, "  dev: undefined,"],
    [/^export const PROMOTION\b.*= \{$/m, '  dev: ["staging"],'],
  ] as const) {
    expect(releases).toMatch(pattern);
    releases = releases.replace(pattern, (line) => `${line}\n${entry}`);
  }
  writeFileSync(releasesFile, releases);

  // Step 4: a .sops.yaml rule with the environment's own recipient, and its encrypted file.
  appendFileSync(
    join(copy, ".sops.yaml"),
    `  - path_regex: (^|/)secrets/secrets\\.dev\\.enc\\.yaml$\n    age: ${recipient}\n`,
  );
  const encrypt = node([
    "scripts/secrets-encrypt.ts",
    "__tests__/fixtures/sops/secrets.staging.plain.yaml",
    "secrets/secrets.dev.enc.yaml",
  ]);
  expect(encrypt.stderr).toBe("");
  expect(encrypt.status).toBe(0);
});

afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** This process's environment without what would leak into the copy's runs (keys, this jest run's state). */
function cleanEnv(): NodeJS.ProcessEnv {
  const clean = { ...process.env };
  for (const name of Object.keys(clean))
    if (
      /^(SOPS_AGE_KEY|SOPS_AGE_KEY_FILE|CDKTF_TARGET_STACK_ID|JEST_WORKER_ID|MEDIA_DOWNLOADER_TEST_.*)$/.test(
        name,
      )
    )
      delete clean[name];
  return { ...clean, MEDIA_DOWNLOADER_RELEASE: "" };
}

function node(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["-r", "./lib/transpile/register.cjs", ...args], {
    cwd: copy,
    env: { ...cleanEnv(), ...env },
    encoding: "utf8",
  });
}

/** `npx jest <args>` in `dir`. */
function jest(dir: string, args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, "node_modules/jest/bin/jest.js"), ...args], {
    cwd: dir,
    env: cleanEnv(),
    encoding: "utf8",
  });
}

/**
 * The quick tier's suites of config, stacks and media-downloader, run in `dir` (the rest of the quick tier
 * does not read the environments). `--ci`: a snapshot the steps did not record fails.
 */
function runQuickTests(dir: string) {
  return jest(dir, [
    "--ci",
    "--selectProjects",
    "quick",
    "--",
    "__tests__/config",
    "__tests__/stacks",
    "__tests__/media-downloader",
  ]);
}

test("main.ts is unchanged: the new environment comes from config alone", () => {
  expect(readFileSync(join(copy, "main.ts"), "utf8")).toBe(readFileSync(join(ROOT, "main.ts"), "utf8"));
});

test("the copy type-checks: config/releases.ts and every other file that lists environments know dev", () => {
  const run = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "."],
    {
      cwd: copy,
      env: cleanEnv(),
      encoding: "utf8",
    },
  );
  expect(run.stdout).toBe("");
  expect(run.status).toBe(0);
});

test("the recorded snapshots show the new stack and the bootstrap's new deploy role; the quick tests pass", () => {
  // Step 5: record the snapshots (the new stack's, and bootstrap-stack's with the new deploy role).
  const record = jest(copy, ["--ci=false", "-u", "__tests__/stacks/snapshots.test.ts"]);
  expect(record.status).toBe(0);
  const snapshots = readFileSync(join(copy, "__tests__/stacks/__snapshots__/snapshots.test.ts.snap"), "utf8");
  expect(snapshots).toContain("exports[`dev-stack matches the reviewed snapshot 1`]");
  expect(snapshots).toContain('"deploy_role_arn_dev": {');

  const run = runQuickTests(copy);
  expect(run.stderr).toMatch(/^Tests: +(\d+ skipped, )?\d+ passed, \d+ total$/m);
  expect(run.status).toBe(0);
});

test("synth writes dev-stack beside the others, with every name prefixed, and the synth-time policies pass", () => {
  const run = node(["main.ts"]);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^dev-stack: \d+ resources -> cdktf\.out\/stacks\/dev-stack\/cdk\.tf\.json$/m);
  expect(readdirSync(join(copy, "cdktf.out/stacks")).sort()).toEqual([
    "bootstrap-stack",
    "dev-stack",
    "prod-stack",
    "staging-stack",
  ]);
  // The account's bootstrap gains the new environment's deploy role, with no code change.
  const bootstrap = JSON.parse(
    readFileSync(join(copy, "cdktf.out/stacks/bootstrap-stack/cdk.tf.json"), "utf8"),
  );
  expect(bootstrap.output.deploy_role_arn_dev.value).toBe(
    "arn:aws:iam::123456789012:role/lifegames-MediaDownloader-dev-deploy",
  );
  const json = JSON.parse(readFileSync(join(copy, "cdktf.out/stacks/dev-stack/cdk.tf.json"), "utf8"));
  expect(json.terraform.backend.s3.key).toBe("env/dev/terraform.tfstate");
  expect(json.resource.aws_api_gateway_stage).toBeDefined();
  const stage = Object.values(
    json.resource.aws_api_gateway_stage as Record<string, { stage_name: string }>,
  )[0];
  expect(stage.stage_name).toBe("dev");
  // staging owns the account's API Gateway settings; the new environment does not.
  expect(json.resource.aws_api_gateway_account).toBeUndefined();
  const functions = Object.values(
    json.resource.aws_lambda_function as Record<string, { function_name: string }>,
  );
  expect(functions.length).toBeGreaterThan(0);
  for (const fn of functions) expect(fn.function_name).toMatch(/^dev-/);
  expect(json.data.sops_file.secrets.source_file).toContain("secrets/secrets.dev.enc.yaml");
});

test("secrets:check verifies the new file's MAC with its own key, next to the sample files", () => {
  const keys = `${readFileSync(join(copy, "__tests__/fixtures/sops/TEST-KEYS.sample-secrets.txt"), "utf8")}\n${identity}\n`;
  const run = node(["scripts/secrets-check.ts"], { SOPS_AGE_KEY: keys });
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(
    /^secrets\/secrets\.dev\.enc\.yaml: decrypted with the key of age1\w+; MAC verified$/m,
  );
  expect(run.stdout).toMatch(/^secrets: ok: .*secrets\/secrets\.dev\.enc\.yaml/m);
  expect(`${run.stdout}${run.stderr}`).not.toContain("AGE-SECRET-KEY");
});
