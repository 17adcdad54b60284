import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * `npm run cdktf -- <command>` runs the pinned cdktf CLI without its checkpoint call (telemetry and a
 * version check to checkpoint-api.hashicorp.com, which logs an [ERROR] on a machine without that network).
 * A preloaded spy records every HTTPS request to that host and fails it, so the test holds online or off.
 */
const ROOT = resolve(__dirname, "../..");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cdktf-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("npm run cdktf -- synth synthesizes every stack and never calls HashiCorp's checkpoint service", () => {
  const calls = join(dir, "checkpoint-calls.txt");
  const spy = join(dir, "spy.cjs");
  writeFileSync(
    spy,
    `const https = require("node:https");
const { appendFileSync } = require("node:fs");
const request = https.request;
https.request = function (url, ...rest) {
  if (String(typeof url === "object" && url.hostname ? url.hostname : url).includes("checkpoint-api.hashicorp.com"))
    appendFileSync(${JSON.stringify(calls)}, String(url.href ?? url) + "\\n");
  return request.call(this, url, ...rest);
};
`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: `--require ${spy}` };
  delete env.CHECKPOINT_DISABLE;
  const out = join(dir, "cdktf.out");
  const run = spawnSync("npm", ["run", "-s", "cdktf", "--", "synth", "--output", out], {
    cwd: ROOT,
    env,
    encoding: "utf8",
  });
  expect(run.status).toBe(0);
  expect(existsSync(join(out, "manifest.json"))).toBe(true);
  expect(existsSync(calls) ? readFileSync(calls, "utf8") : "").toBe("");
  expect(`${run.stdout}${run.stderr}`).not.toContain("checkpoint-api.hashicorp.com");
});
