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
  // Pull requests, and main-branch jobs (drift check, production plan before its approval).
  planSubjects: ["pull_request", "ref:refs/heads/main"],
};
