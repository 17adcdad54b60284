import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, LocalBackend, S3Backend, TerraformResource, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BootstrapAccount, BootstrapConfig, EnvironmentConfig } from "../config";
import { PROMOTION } from "../config/releases";
import { Bootstrap, bootstrapRegions } from "../bootstrap";
import { requiredTags } from "../policies/context";
import type { PolicyContext } from "../policies/types";
import { MediaDownloaderStack } from "./media-downloader-stack";
import { declareRequirements } from "./requirements";
import type { StackDefinition } from "./registry";

/** Set to 1 for the very first apply of an account, before its state bucket exists (docs/bootstrap.md). */
/** The Environment tag of every account-level stack (its policy context and its providers' default tags). */
export const BOOTSTRAP_ENVIRONMENT = "bootstrap";

export const BOOTSTRAP_LOCAL_STATE_ENV = "MEDIA_DOWNLOADER_BOOTSTRAP_LOCAL_STATE";

/** Where that first local state lives, relative to the stack's directory (outside cdktf.out, which synth replaces). */
export const bootstrapLocalStatePath = (stackId: string) => `../../../.bootstrap-state/${stackId}.tfstate`;

function resourceTypesOf(stack: Construct): string[] {
  const types = stack.node
    .findAll()
    .filter(TerraformResource.isTerraformResource)
    .map((resource) => resource.terraformResourceType);
  return [...new Set(types)].sort();
}

/**
 * The Terraform resource types an environment's stack holds, read from the stack itself, so the deploy
 * role always matches what the stack deploys: the app's own stack when it is being synthesized too (no
 * second build), else one built in a scratch app that is never synthesized.
 */
export function environmentResourceTypes(config: EnvironmentConfig, app?: Construct): string[] {
  const existing = app?.node.tryFindChild(config.stack);
  if (existing instanceof MediaDownloaderStack) return resourceTypesOf(existing);
  // The App creates its outdir: a private one, removed again (nothing is ever written into it).
  const outdir = mkdtempSync(join(tmpdir(), "media-downloader-resource-types-"));
  try {
    return resourceTypesOf(
      new MediaDownloaderStack(new App({ outdir, stackTraces: false }), config.stack, config),
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export interface BootstrapStackProps {
  readonly bootstrap: BootstrapConfig;
  readonly account: BootstrapAccount;
  /** @default read from each environment's stack (environmentResourceTypes) */
  readonly resourceTypes?: Readonly<Record<string, readonly string[]>>;
  /** @default config/releases.ts PROMOTION */
  readonly promotion?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The account-level stack: applied by hand once per account (docs/bootstrap.md), with its own
 * state key in the bucket it creates. Thin shell: backend, one AWS provider per region, one Bootstrap.
 */
export class BootstrapStack extends TerraformStack {
  /** `bootstrap-stack` for a single account, `bootstrap-<account id>-stack` for each of several. */
  static idFor(accountId: string, accountCount: number): string {
    return accountCount === 1 ? "bootstrap-stack" : `bootstrap-${accountId}-stack`;
  }

  /** The policy pack's view of this stack: names carry the bootstrap's namespace, data is protected. */
  readonly config: PolicyContext;
  readonly bootstrap: Bootstrap;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    const { account } = props;
    this.config = {
      environment: BOOTSTRAP_ENVIRONMENT,
      prefix: props.bootstrap.namePrefix,
      deletionProtection: true,
    };

    if (process.env[BOOTSTRAP_LOCAL_STATE_ENV] === "1") {
      new LocalBackend(this, { path: bootstrapLocalStatePath(id) });
    } else {
      new S3Backend(this, {
        bucket: account.stateBucket,
        key: account.stateKey,
        region: account.stateRegion,
        encrypt: true,
      });
      this.addOverride("terraform.backend.s3.use_lockfile", true);
    }

    const providers = new Map<string, AwsProvider>();
    for (const region of bootstrapRegions(account)) {
      const alias = region === account.stateRegion ? undefined : region.replace(/-/g, "_");
      providers.set(
        region,
        new AwsProvider(this, alias ? `aws-${region}` : "aws", {
          region,
          alias,
          allowedAccountIds: [account.accountId],
          defaultTags: [{ tags: { ...requiredTags(this.config) } }],
        }),
      );
    }
    declareRequirements(this);

    const resourceTypes =
      props.resourceTypes ??
      Object.fromEntries(
        account.environments.map((c) => [c.environment, environmentResourceTypes(c, scope)]),
      );
    this.bootstrap = new Bootstrap(this, "bootstrap", {
      bootstrap: props.bootstrap,
      account,
      resourceTypes,
      providers,
      promotion: props.promotion ?? PROMOTION,
    });
  }
}

/** One bootstrap stack per account of the bootstrap config, for the app's stack registry. */
export function bootstrapStacks(bootstrap: BootstrapConfig): StackDefinition[] {
  return bootstrap.accounts.map((account) => {
    const id = BootstrapStack.idFor(account.accountId, bootstrap.accounts.length);
    return { id, create: (app: App) => new BootstrapStack(app, id, { bootstrap, account }) };
  });
}
