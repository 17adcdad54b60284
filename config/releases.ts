import type { EnvironmentName } from ".";

/**
 * The release each environment runs: the one place it is set, changed only by pull request.
 *
 * A release id names what the application's build uploaded to `s3://<artifacts.bucket>/releases/<id>/`
 * (Lambda zips, layers, static files); this repository never makes one up. Moving staging to a new id
 * is a pull request whose staging plan shows the new code keys. Moving production to the id staging
 * runs is the promotion: the deploy refuses it unless that release passed staging and its integration
 * tests (the record under `promotions/` in the artifacts bucket, see lib/promotion).
 *
 * `undefined`: no release yet. Synth works (code keys say `unreleased`); a plan of that environment
 * stops at the release guard.
 */
export const RELEASES: Readonly<Record<EnvironmentName, string | undefined>> = {
  staging: undefined,
  production: undefined,
};

/**
 * Before an environment may run a release, the release must have passed these environments (applied
 * there, integration tests green, recorded). An environment with none is a first stage: its own PRs
 * and pushes deploy to it directly, and a rollback there needs a release that passed it before.
 */
export const PROMOTION: Readonly<Record<EnvironmentName, readonly EnvironmentName[]>> = {
  staging: [],
  production: ["staging"],
};
