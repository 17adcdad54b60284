/**
 * `npm run test:integration`: checks a deployed environment (staging in CI) through its public endpoints.
 * Reads the stack's outputs with `<engine> output -json` (the engine from lib/engine: TERRAFORM_BINARY_NAME, else tofu, else terraform) from its synthesized, initialized directory
 * (cdktf.out/stacks/<stack>), so it needs the backend's credentials. Never prints the API key.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { loadEnvironments, type EnvironmentConfig } from "../config";
import { parseCommand } from "../lib/cli/args";
import { runCli, UserError } from "../lib/cli/cli";
import { runChecks, type StackOutputs } from "../lib/integration/checks";
import { engineBinary } from "../lib/engine/engine";
import { maskInGitHubActions } from "../lib/integration/mask";

const INTEGRATION_COMMAND = {
  usage: "usage: npm run test:integration",
  help: [
    "Checks a deployed environment through its public endpoints (MEDIA_DOWNLOADER_ENVIRONMENT, default",
    "staging), reading the stack outputs with `<engine> output -json` (TERRAFORM_BINARY_NAME, else tofu, else terraform) from cdktf.out/stacks/<stack>.",
  ].join("\n"),
  positionals: false,
} as const;

runCli(async () => {
  if (!parseCommand(INTEGRATION_COMMAND)) return;
  const name = process.env.MEDIA_DOWNLOADER_ENVIRONMENT ?? "staging";
  const environments: Record<string, EnvironmentConfig> = loadEnvironments();
  const config = environments[name];
  if (!config) {
    throw new UserError(
      `MEDIA_DOWNLOADER_ENVIRONMENT: expected one of ${Object.keys(environments).join(", ")}, got '${name}'`,
    );
  }
  const dir = resolve(__dirname, "../cdktf.out/stacks", config.stack);
  const binary = engineBinary(process.env);
  const out = spawnSync(binary, ["output", "-json"], { cwd: dir, encoding: "utf8" });
  if (out.status !== 0) {
    throw new UserError(`${binary} output failed in ${dir} (synth and init it first):\n${out.stderr}`);
  }
  const raw = JSON.parse(out.stdout) as Record<string, { value: string }>;
  const value = (key: string) => {
    if (!raw[key]?.value) throw new UserError(`output ${key} is missing or empty in ${dir}`);
    return raw[key].value;
  };
  maskInGitHubActions(value("api_gateway_api_key"));
  const outputs: StackOutputs = {
    apiUrl: `https://${value("api_gateway_subdomain")}.execute-api.${config.aws.region}.amazonaws.com/${value("api_gateway_stage")}`,
    apiDistributionUrl: `https://${value("cloudfront_distribution_domain")}`,
    mediaDistributionUrl: `https://${value("cloudfront_media_files_domain")}`,
    apiKey: value("api_gateway_api_key"),
    defaultFileKey: config.defaultFile.key,
  };
  const results = await runChecks(outputs);
  for (const r of results)
    process.stdout.write(`${r.ok ? "ok  " : "FAIL"} ${r.name}${r.ok ? "" : `: ${r.detail}`}\n`);
  const failed = results.filter((r) => !r.ok).length;
  process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
  if (failed > 0) process.exitCode = 1;
});
