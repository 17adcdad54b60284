import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import S3rver from "s3rver";
import { environments } from "../helpers/synth";
import { FUNCTION_NAMES } from "../../media-downloader/functions/catalog";
import { DOWNLOAD_LAYERS } from "../../media-downloader/functions/layers";
import { EDGE_FUNCTION } from "../../media-downloader/functions/edge-function";

const REPO = resolve(__dirname, "..", "..");
const RELEASE = "test-release-1";
/** A hang guard, not a timing limit: each command synthesizes the stack in a child process. */
const GUARD = 180_000;
const config = environments().staging;

let server: S3rver;
let endpoint: string;
let directory: string;
const env = () => ({
  ...process.env,
  AWS_ENDPOINT_URL_S3: endpoint,
  AWS_ACCESS_KEY_ID: "S3RVER",
  AWS_SECRET_ACCESS_KEY: "S3RVER",
  AWS_REGION: "us-west-2",
});

/** Runs the command asynchronously: the S3 server answering it lives in this process's event loop. */
function releaseCheck(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return releaseCheckWith(env(), args);
}

function releaseCheckWith(
  environment: NodeJS.ProcessEnv,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ["-r", "./lib/transpile/register.cjs", "scripts/release-check.ts", ...args],
      {
        cwd: REPO,
        env: environment,
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("close", (status) => done({ status, stdout, stderr }));
  });
}

/** Uploads `bucket/key` objects to the S3 server. */
async function putObjects(objects: readonly string[]): Promise<void> {
  const client = new S3Client({
    endpoint,
    region: "us-west-2",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  try {
    for (const object of objects) {
      const [bucket, ...key] = object.split("/");
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key.join("/"), Body: "zip" }));
    }
  } finally {
    client.destroy();
  }
}

/** What the issue lists: every function zip (the edge one from the us-east-1 copy), every layer, the static file. */
const expected = [
  ...FUNCTION_NAMES.map((name) => `${config.artifacts.bucket}/releases/${RELEASE}/lambdas/${name}.zip`),
  `${config.artifacts.edgeBucket}/releases/${RELEASE}/lambdas/${EDGE_FUNCTION}.zip`,
  ...Object.keys(DOWNLOAD_LAYERS).map(
    (name) => `${config.artifacts.bucket}/releases/${RELEASE}/layers/${name}.zip`,
  ),
  `${config.artifacts.bucket}/releases/${RELEASE}/static/${config.defaultFile.key}`,
];

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "s3rver-"));
  server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: config.artifacts.bucket }, { name: config.artifacts.edgeBucket }],
  });
  const address = await server.run();
  endpoint = `http://127.0.0.1:${address.port}`;
  // Everything but two objects: one layer and the edge copy.
  await putObjects(
    expected.filter(
      (object) => !object.includes("/layers/ffmpeg.zip") && !object.startsWith(config.artifacts.edgeBucket),
    ),
  );
}, GUARD);

afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
}, GUARD);

test(
  "release:check lists exactly the two missing objects and exits 1",
  async () => {
    const result = await releaseCheck("staging-stack", "--release", RELEASE);
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe(
      `release ${RELEASE} of staging-stack: 2 of ${expected.length} objects missing or unreadable:`,
    );
    expect(
      lines
        .slice(1)
        .map((l) => /s3:\/\/(\S+)/.exec(l)?.[1])
        .sort(),
    ).toEqual(
      [
        `${config.artifacts.edgeBucket}/releases/${RELEASE}/lambdas/${EDGE_FUNCTION}.zip`,
        `${config.artifacts.bucket}/releases/${RELEASE}/layers/ffmpeg.zip`,
      ].sort(),
    );
    for (const line of lines.slice(1))
      expect(line).toMatch(/^ {2}missing: s3:\/\/\S+ \(needed by aws_lambda_\w+\.\S+\)$/);
  },
  GUARD,
);

test(
  "release:check passes once every object exists",
  async () => {
    await putObjects(expected);
    const result = await releaseCheck("staging-stack", "--release", RELEASE);
    expect([result.status, result.stdout.trim()]).toEqual([
      0,
      `release ${RELEASE} of staging-stack: all ${expected.length} objects present`,
    ]);
  },
  GUARD,
);

test(
  "release:check: --help exits 0, an unknown flag and an unknown stack are one error line each",
  async () => {
    const help = await releaseCheck("--help");
    expect([help.status, help.stdout.split("\n")[0]]).toEqual([
      0,
      "usage: npm run release:check -- <stack> [--release <id>]",
    ]);
    const flag = await releaseCheck("staging-stack", "--relase", "x");
    expect(flag.status).toBe(1);
    expect(flag.stderr).toMatch(/^error: Unknown option '--relase'\nusage: npm run release:check/);
    const stack = await releaseCheck("no-stack", "--release", RELEASE);
    expect(stack.status).toBe(1);
    expect(stack.stderr.trim()).toMatch(
      /^error: unknown stack 'no-stack'; the stacks are: [\w-]+(, [\w-]+)*$/,
    );
  },
  GUARD,
);

test(
  "release:check without AWS credentials: one line saying so and where the SDK looks, exit 1",
  async () => {
    // No credentials anywhere the default chain looks: no keys or profile, empty config files, no IMDS.
    const none: NodeJS.ProcessEnv = { ...env(), AWS_EC2_METADATA_DISABLED: "true" };
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"])
      delete none[name];
    for (const name of Object.keys(none))
      if (/^AWS_(CONTAINER|WEB_IDENTITY|ROLE)_/.test(name)) delete none[name];
    none.AWS_CONFIG_FILE = join(directory, "no-config");
    none.AWS_SHARED_CREDENTIALS_FILE = join(directory, "no-credentials");
    const result = await releaseCheckWith(none, ["staging-stack", "--release", RELEASE]);
    expect(result.stderr).toBe(
      "error: no AWS credentials (Could not load credentials from any providers): release:check reads S3 with the default AWS credential chain; set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) for an identity that may read the artifacts buckets\n",
    );
    expect(result.stdout).toBe("");
    expect(result.status).toBe(1);
  },
  GUARD,
);
