/**
 * Per-environment secrets with SOPS. The stack calls verifySecretsForSynth at synth time (fast, no
 * key); `npm run secrets:check` runs checkSecrets (all environments, MACs when a key is given).
 */
export { SecretsError } from "./errors";
export { SAMPLE_RECIPIENTS, SAMPLE_RECIPIENT_REASON, isSampleRecipient } from "./samples";
export {
  verifySecretsForSynth,
  usesSampleRecipients,
  sampleRecipientsOf,
  constructKeyProblems,
} from "./synth";
export { checkSecrets, type CheckSecretsOptions, type CheckSecretsReport } from "./check-secrets";
export { ageKeysFromEnv, type AgeKeys } from "./keys";
export {
  encryptSops,
  encryptSopsYaml,
  decryptSops,
  decryptSopsText,
  type DecryptResult,
  type EncryptOptions,
} from "./sops-crypto";
export {
  readSopsFile,
  parseSopsYaml,
  parsePlainYaml,
  parsePlainYamlWithComments,
  SopsTime,
  leaves,
  flattenKeys,
  type SopsDocument,
  type SopsTree,
  type SopsValue,
} from "./sops-file";
export { readSopsConfig, ruleForFile, type CreationRule } from "./sops-config";
