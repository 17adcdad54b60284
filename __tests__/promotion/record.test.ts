import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { ENVIRONMENT_INPUTS, parseEnvironments, type EnvironmentConfig } from "../../config";
import { PROMOTION } from "../../config/releases";
import { passedCommand, recordCommand } from "../../lib/promotion/commands";
import {
  checkPasses,
  recordKey,
  recordPass,
  requiredPasses,
  type PassRecord,
} from "../../lib/promotion/record";

/** The pass records against a local S3 (s3rver), as the deploy and the production plan use them. */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver") as new (options: object) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

const BUCKET = "lifegames-media-downloader-artifacts";
let server: InstanceType<typeof S3rver>;
let client: S3Client;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "s3rver-"));
  server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  client = new S3Client({
    region: "us-west-2",
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
});
afterAll(async () => {
  client?.destroy();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const record = (release: string, environment = "staging"): PassRecord => ({
  release,
  environment,
  commit: "0123456789abcdef0123456789abcdef01234567",
  runUrl: "https://github.com/o/r/actions/runs/42",
  passedAt: "2026-12-01T20:00:00.000Z",
});

test("a recorded pass is found; the key is under promotions/, not the build's releases/", async () => {
  expect(recordKey("r-1", "staging")).toBe("promotions/r-1/staging.json");
  await recordPass(client, BUCKET, record("r-1"));
  expect(await checkPasses(client, BUCKET, "r-1", ["staging"])).toEqual([
    { environment: "staging", ok: true, record: record("r-1") },
  ]);
});

test("a release that never passed is refused, naming the missing object", async () => {
  expect(await checkPasses(client, BUCKET, "r-never", ["staging"])).toEqual([
    {
      environment: "staging",
      ok: false,
      problem: `release r-never has not passed staging: s3://${BUCKET}/promotions/r-never/staging.json does not exist`,
    },
  ]);
});

test("a record that names another release or environment does not count", async () => {
  await client.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: recordKey("r-2", "staging"),
      Body: JSON.stringify(record("r-1")),
    }),
  );
  await client.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: recordKey("r-3", "staging"), Body: "not json" }),
  );
  const [mismatch] = await checkPasses(client, BUCKET, "r-2", ["staging"]);
  expect(mismatch).toMatchObject({
    ok: false,
    problem: expect.stringContaining("records release r-1 in staging"),
  });
  const [broken] = await checkPasses(client, BUCKET, "r-3", ["staging"]);
  expect(broken).toMatchObject({ ok: false, problem: expect.stringContaining("is not JSON") });
});

describe("which passes an environment needs (config/releases.ts PROMOTION)", () => {
  test("production needs staging; staging needs nothing, but a staging rollback needs a staging pass", () => {
    expect(requiredPasses("production")).toEqual(["staging"]);
    expect(requiredPasses("production", { rollback: true })).toEqual(["staging"]);
    expect(requiredPasses("staging")).toEqual([]);
    expect(requiredPasses("staging", { rollback: true })).toEqual(["staging"]);
  });

  test("every environment has a promotion rule naming only environments, without cycles", () => {
    const names = Object.keys(ENVIRONMENT_INPUTS);
    expect(Object.keys(PROMOTION).sort()).toEqual([...names].sort());
    const visit = (name: string, seen: string[]): void => {
      expect(seen).not.toContain(name);
      for (const gate of PROMOTION[name as keyof typeof PROMOTION]) {
        expect(names).toContain(gate);
        visit(gate, [...seen, name]);
      }
    };
    for (const name of names) visit(name, []);
  });

  test("an unknown environment is a user error", () => {
    expect(() => requiredPasses("prod" as never)).toThrow(
      "unknown environment prod; expected one of staging, production",
    );
  });
});

describe("the commands (release:record, release:passed)", () => {
  /** The committed environments, with every release set to `release` (as MEDIA_DOWNLOADER_RELEASE does). */
  function environmentsAt(release: string | undefined): Record<string, EnvironmentConfig> {
    const saved = process.env.MEDIA_DOWNLOADER_RELEASE;
    process.env.MEDIA_DOWNLOADER_RELEASE = release ?? "";
    try {
      return parseEnvironments(ENVIRONMENT_INPUTS);
    } finally {
      if (saved === undefined) delete process.env.MEDIA_DOWNLOADER_RELEASE;
      else process.env.MEDIA_DOWNLOADER_RELEASE = saved;
    }
  }
  const github = {
    GITHUB_SHA: "a".repeat(40),
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "o/r",
    GITHUB_RUN_ID: "7",
  };

  test("production refuses a release until staging recorded it, then accepts it", async () => {
    const environments = environmentsAt("r-cmd");
    await expect(passedCommand("production", { client, environments })).rejects.toThrow(
      "release r-cmd may not deploy to production:\n  - release r-cmd has not passed staging",
    );
    expect(await recordCommand("staging", { client, environments, env: github })).toBe(
      `recorded: release r-cmd passed staging (s3://${BUCKET}/promotions/r-cmd/staging.json)`,
    );
    expect(await passedCommand("production", { client, environments })).toMatch(
      /^release r-cmd may deploy to production: passed staging \(https:\/\/github.com\/o\/r\/actions\/runs\/7, /,
    );
  });

  test("staging needs no pass, except for a rollback", async () => {
    const environments = environmentsAt("r-new");
    expect(await passedCommand("staging", { client, environments })).toBe(
      "release r-new may deploy to staging: nothing gates it",
    );
    await expect(passedCommand("staging", { client, environments, rollback: true })).rejects.toThrow(
      "has not passed staging",
    );
  });

  test("an environment without a release, or an unknown one, is one clear error", async () => {
    const environments = environmentsAt(undefined);
    await expect(passedCommand("production", { client, environments })).rejects.toThrow(
      "production has no release: set it in config/releases.ts",
    );
    await expect(recordCommand("prod", { client, environments })).rejects.toThrow(
      "unknown environment prod; expected one of staging, production",
    );
  });
});
