import { mkdirSync, writeFileSync } from "node:fs";
import { LOCK_FILE_NAME, lockFileFor, requiredProviders } from "../synth/provider-lock";
import { join } from "node:path";
import { FILES, prepareWorkingCopy, type StackJson } from "../engine/working-copy";

/**
 * A synthesized stack with its secrets substituted, for a real plan that must not see them (production
 * in a pull request, whose workflow code comes from the PR branch). Exactly the offline preview's secret
 * substitution (the sops provider and data source removed, each `data.sops_file...` reference replaced
 * by `FAKE-TEST-VALUE-<key>`), and nothing else: the S3 backend, the real providers (credentials from
 * the environment, `allowed_account_ids`) and everything else stay as synthesized.
 */
export interface SubstitutedStack {
  readonly main: StackJson;
  readonly fakeSecrets: { locals: Record<string, Record<string, string>> };
  /** `<data source>.<key>` of every substituted secret. */
  readonly replacedKeys: readonly string[];
}

export function substituteSecrets(stackId: string, synthesized: StackJson): SubstitutedStack {
  const copy = prepareWorkingCopy(stackId, synthesized);
  const terraform = { ...(copy.main.terraform ?? {}) };
  if (synthesized.terraform && "backend" in synthesized.terraform)
    terraform.backend = synthesized.terraform.backend;
  else delete terraform.backend;
  return {
    main: { ...copy.main, terraform },
    fakeSecrets: copy.fakeSecrets,
    replacedKeys: copy.replacedKeys,
  };
}

/**
 * Writes the substituted stack into `dir` (cdk.tf.json and the fake-secrets file), and, given the
 * synthesized stack's lock file, the lock for the providers the copy still requires (not sops).
 */
export function writeSubstitutedStack(dir: string, stack: SubstitutedStack, lockText?: string): void {
  mkdirSync(dir, { recursive: true });
  if (lockText !== undefined)
    writeFileSync(join(dir, LOCK_FILE_NAME), lockFileFor(lockText, requiredProviders(stack.main)));
  writeFileSync(join(dir, FILES.main), `${JSON.stringify(stack.main, null, 2)}\n`);
  writeFileSync(join(dir, FILES.fakeSecrets), `${JSON.stringify(stack.fakeSecrets, null, 2)}\n`);
}
