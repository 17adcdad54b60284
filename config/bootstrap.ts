import type { BootstrapConfigInput } from "./schema";
import { BOOTSTRAP_NAME_PREFIX } from "./shared";

/**
 * The account-level bootstrap: the GitHub repository whose workflows deploy, and every AWS account an
 * environment uses. The environments themselves (their prefixes, regions, state keys, buckets) come from
 * their own config files; an environment added there gets its deploy role here with no code change.
 */
export const bootstrap: BootstrapConfigInput = {
  repository: { owner: "j0nathan-ll0yd", name: "aws-cloudformation-media-downloader" },
  namePrefix: BOOTSTRAP_NAME_PREFIX,
  accounts: {
    "123456789012": {
      stateKey: "bootstrap/123456789012/terraform.tfstate",
      apiGatewayAccountRegions: ["us-west-2"],
    },
  },
  // The GitHub environments each environment is planned in (.github/README.md); its own read-only plan
  // role trusts exactly these. Staging: PR plans and the drift check. Production: the reviewer-approved
  // PR plan, and main's production plan, rollback plan and drift check.
  planEnvironments: {
    staging: ["staging-plan"],
    production: ["pr-production-plan", "production-plan"],
  },
};
