import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import type { BootstrapAccount, BootstrapConfig, EnvironmentConfig } from "../config";
import { ApiGatewayAccountSettings } from "./api-gateway-account";
import { EDGE_REGION } from "./deploy-scopes";
import { deployStatements, planStatements, type EnvironmentPermissionsInput } from "./deploy-permissions";
import { GitHubOidcProvider } from "./github-oidc";
import { GitHubRole } from "./github-roles";
import { HardenedBucket } from "./hardened-bucket";
import { bootstrapNames } from "./names";
import { BucketKey } from "./kms-key";
import { PermissionsBoundary } from "./permissions-boundary";

export { bootstrapNames } from "./names";

export interface BootstrapProps {
  readonly bootstrap: BootstrapConfig;
  readonly account: BootstrapAccount;
  /** The Terraform resource types of each environment's synthesized stack, by environment name. */
  readonly resourceTypes: Readonly<Record<string, readonly string[]>>;
  /** An AWS provider for every region the account uses (bootstrapRegions). */
  readonly providers: ReadonlyMap<string, AwsProvider>;
  /** Which environments' passes each environment needs (config/releases.ts PROMOTION). */
  readonly promotion: Readonly<Record<string, readonly string[]>>;
}

/** Every region the bootstrap of `account` touches: state, environments, the edge region, API Gateway settings. */
export function bootstrapRegions(account: BootstrapAccount): string[] {
  return [
    ...new Set([
      account.stateRegion,
      ...account.environments.map((c) => c.aws.region),
      EDGE_REGION,
      ...account.apiGatewayAccountRegions,
    ]),
  ];
}

/** The output names the workflows read (see .github/README.md). */
export const deployRoleOutput = (environment: string) => `deploy_role_arn_${environment.replace(/-/g, "_")}`;
export const planRoleOutput = (environment: string) => `plan_role_arn_${environment.replace(/-/g, "_")}`;

/**
 * What one AWS account needs before any environment deploys: the state bucket, the release artifacts
 * buckets, their KMS keys, GitHub's OIDC provider, one deploy role per environment (its permissions
 * derived from the environment's stack, bounded to its prefix), one read-only plan role per environment
 * (the same scopes, reads only), each environment's permissions boundary, and the API Gateway account
 * setting.
 */
export class Bootstrap extends Construct {
  readonly deployRoles: Readonly<Record<string, GitHubRole>>;
  readonly planRoles: Readonly<Record<string, GitHubRole>>;

  constructor(scope: Construct, id: string, props: BootstrapProps) {
    super(scope, id);
    const { account, bootstrap } = props;
    const names = bootstrapNames(bootstrap.namePrefix);
    const provider = (region: string) => {
      const found = props.providers.get(region);
      if (!found) throw new Error(`bootstrap: no AWS provider for region ${region}`);
      return found;
    };

    // One customer-managed key per region that holds a bucket.
    const buckets = new Map<string, { region: string; purpose: "state" | "artifacts" }>([
      [account.stateBucket, { region: account.stateRegion, purpose: "state" }],
    ]);
    for (const c of account.environments) {
      if (!buckets.has(c.artifacts.bucket))
        buckets.set(c.artifacts.bucket, { region: c.aws.region, purpose: "artifacts" });
      if (!buckets.has(c.artifacts.edgeBucket))
        buckets.set(c.artifacts.edgeBucket, { region: EDGE_REGION, purpose: "artifacts" });
    }
    const keys = new Map<string, BucketKey>();
    for (const { region } of buckets.values()) {
      if (keys.has(region)) continue;
      keys.set(
        region,
        new BucketKey(this, `key-${region}`, {
          alias: names.keyAlias("buckets", region),
          description: `State and release artifacts buckets in ${region}`,
          provider: provider(region),
        }),
      );
    }
    for (const [bucketName, { region, purpose }] of buckets) {
      new HardenedBucket(this, `bucket-${bucketName}`, {
        bucketName,
        kmsKeyArn: keys.get(region)!.key.arn,
        // State: no Bucket Key, so the encryption context is the object ARN and scopes each key's use.
        bucketKey: purpose !== "state",
        provider: provider(region),
      });
    }

    const oidc = new GitHubOidcProvider(this, "github-oidc", { accountId: account.accountId });
    const repo = `repo:${bootstrap.repository.owner}/${bootstrap.repository.name}`;
    const deployRoles: Record<string, GitHubRole> = {};
    const planRoles: Record<string, GitHubRole> = {};
    for (const config of account.environments) {
      const boundary = new PermissionsBoundary(this, `boundary-${config.environment}`, { config });
      const input = this.permissionsInput(props, config, PermissionsBoundary.arnOf(config));
      const stackId = config.stack;
      const role = new GitHubRole(this, `deploy-${config.environment}`, {
        name: names.deployRole(config.environment),
        description: `GitHub Actions deploys ${config.environment} (${stackId}) with this role`,
        oidcProviderArn: oidc.arn,
        subjects: [`${repo}:environment:${config.environment}`],
        statements: deployStatements(stackId, input),
      });
      role.node.addDependency(boundary);
      deployRoles[config.environment] = role;
      // Its own role per environment: a job that plans staging (any branch, no reviewer) never holds
      // production's reads (its state holds decrypted secrets).
      const planEnvironments = bootstrap.planEnvironments[config.environment];
      if (!planEnvironments)
        throw new Error(`bootstrap: no plan environments for environment ${config.environment}`);
      planRoles[config.environment] = new GitHubRole(this, `plan-${config.environment}`, {
        name: names.planRole(config.environment),
        description: `GitHub Actions plans ${config.environment} (${stackId}) with this read-only role`,
        oidcProviderArn: oidc.arn,
        subjects: planEnvironments.map((github) => `${repo}:environment:${github}`),
        statements: planStatements(stackId, input),
      });
    }
    this.deployRoles = deployRoles;
    this.planRoles = planRoles;

    if (account.apiGatewayAccountRegions.length > 0)
      new ApiGatewayAccountSettings(this, "api-gateway-account", {
        roleName: names.apiGatewayLogsRole,
        regions: account.apiGatewayAccountRegions.map((region) => ({ region, provider: provider(region) })),
      });

    const outputs: Record<string, string> = {
      state_bucket: account.stateBucket,
      oidc_provider_arn: oidc.arn,
    };
    for (const config of account.environments) {
      outputs[deployRoleOutput(config.environment)] =
        `arn:aws:iam::${account.accountId}:role/${names.deployRole(config.environment)}`;
      outputs[planRoleOutput(config.environment)] =
        `arn:aws:iam::${account.accountId}:role/${names.planRole(config.environment)}`;
    }
    for (const [name, value] of Object.entries(outputs))
      new TerraformOutput(this, name, { value }).overrideLogicalId(name);
  }

  private permissionsInput(
    props: BootstrapProps,
    config: EnvironmentConfig,
    boundaryArn: string,
  ): EnvironmentPermissionsInput {
    const resourceTypes = props.resourceTypes[config.environment];
    if (!resourceTypes)
      throw new Error(`bootstrap: no resource types given for environment ${config.environment}`);
    return {
      config,
      resourceTypes,
      stateBucket: props.account.stateBucket,
      stateRegion: props.account.stateRegion,
      boundaryArn,
      bootstrapNamePrefix: props.bootstrap.namePrefix,
      promotion: props.promotion,
    };
  }
}
