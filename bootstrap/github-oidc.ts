import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Construct } from "constructs";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/**
 * GitHub Actions' OIDC identity provider (one per account). AWS validates GitHub's tokens against its
 * own trusted CA library, so the thumbprint is not checked; the provider still requires one value.
 */
export class GitHubOidcProvider extends Construct {
  readonly provider: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: { readonly accountId: string }) {
    super(scope, id);
    this.provider = new IamOpenidConnectProvider(this, "provider", {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
      thumbprintList: ["6938fd4d98bab03faadb97b34396831e3780aea1"],
    });
    this.arn = `arn:aws:iam::${props.accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
  }

  /** The provider's ARN, made from the account id so policies stay literal JSON. */
  readonly arn: string;
}
