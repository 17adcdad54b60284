/**
 * The SAMPLE age recipients, by environment: the one place that lists them.
 *
 * Why they exist: a fresh clone must synthesize, test and run `npm run secrets:check` without anyone's
 * private key, so the committed secrets files are encrypted to these recipients and hold fake values.
 * Their private keys are committed on purpose, in __tests__/fixtures/sops/TEST-KEYS.sample-secrets.txt,
 * which makes anything encrypted to them public. So the check warns loudly about them, and a deploy
 * (`npm run secrets:check -- --deploy`) refuses them. secrets/README.md explains how to swap in real keys.
 */
export const SAMPLE_RECIPIENTS: Readonly<Record<string, string>> = {
  staging: "age108z5hxyz5995g2gcj3dty7dgzlpr8awuyuwllh7yp5zuqcpa7yfsejqdw4",
  production: "age1atugqruekpfje2kp0tp90uh9a3dwt24nhmgxkksrzhz6pxw28v3s5utua4",
};

/** Why a sample recipient is a problem, for messages (it follows the recipient). */
export const SAMPLE_RECIPIENT_REASON =
  "whose private key is public (__tests__/fixtures/sops/TEST-KEYS.sample-secrets.txt)";

/**
 * Set to 1 by the offline preview, which never decrypts (it replaces every secret with a fake value): the
 * stacks then synthesize without the deploy guard that refuses sample recipients.
 */
export const ALLOW_SAMPLE_SECRETS_ENV = "MEDIA_DOWNLOADER_ALLOW_SAMPLE_SECRETS";

export function isSampleRecipient(recipient: string): boolean {
  return Object.values(SAMPLE_RECIPIENTS).includes(recipient);
}
