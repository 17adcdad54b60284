/**
 * The secrets the workload reads, by role. Values are Terraform references (never literals), so a
 * plaintext never reaches the synthesized JSON.
 */
export interface MediaDownloaderSecrets {
  /** GITHUB_PERSONAL_TOKEN of StartFileUpload and UserDelete. */
  readonly githubToken: string;
  /** SIGN_IN_WITH_APPLE_CONFIG of LoginUser and RegisterUser. */
  readonly signInWithAppleConfig: string;
  /** BETTER_AUTH_SECRET of LoginUser and RegisterUser. */
  readonly betterAuthSecret: string;
  /** APNS token-auth settings of PruneDevices. */
  readonly apnsSigningKey: string;
  readonly apnsTeam: string;
  readonly apnsKeyId: string;
  readonly apnsDefaultTopic: string;
  /** Credential and principal of the SNS platform application. */
  readonly apnsPrivateKey: string;
  readonly apnsCertificate: string;
}

/** Where each secret lives in an environment's SOPS file (dotted key paths); APNS keys sit under config's apns.secretPath. */
export function secretKeys(apnsSecretPath: string): Readonly<Record<keyof MediaDownloaderSecrets, string>> {
  return {
    githubToken: "github.issueToken",
    signInWithAppleConfig: "signInWithApple.config",
    betterAuthSecret: "platform.key",
    apnsSigningKey: `${apnsSecretPath}.signingKey`,
    apnsTeam: `${apnsSecretPath}.team`,
    apnsKeyId: `${apnsSecretPath}.keyId`,
    apnsDefaultTopic: `${apnsSecretPath}.defaultTopic`,
    apnsPrivateKey: `${apnsSecretPath}.privateKey`,
    apnsCertificate: `${apnsSecretPath}.certificate`,
  };
}
