import type { App, TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config";
import { UserError } from "../lib/cli/cli";
import { MediaDownloaderStack } from "./media-downloader-stack";
import { ProdStack } from "./prod-stack";
import { StagingStack } from "./staging-stack";

/** One stack of the app: its id (cdktf.out/stacks/<id>) and how to create it in an App. */
export interface StackDefinition {
  readonly id: string;
  readonly create: (app: App) => TerraformStack;
}

/** Environment stacks with a class of their own; an environment naming another stack id gets a MediaDownloaderStack. */
const ENVIRONMENT_STACK_CLASSES = [StagingStack, ProdStack];

/** One stack per environment in config, under the stack id its config names. */
export function environmentStacks(
  environments: Readonly<Record<string, EnvironmentConfig>>,
): StackDefinition[] {
  return Object.values(environments).map((config) => {
    const Class = ENVIRONMENT_STACK_CLASSES.find((c) => c.ID === config.stack);
    return {
      id: config.stack,
      create: (app: App) =>
        Class ? new Class(app, config) : new MediaDownloaderStack(app, config.stack, config),
    };
  });
}

/**
 * The app's stacks by id, in order: environment stacks and any other group (account-level stacks such as
 * a bootstrap stack per account). Two stacks with one id are a user error naming the id.
 */
export function stackRegistry(
  ...groups: readonly (readonly StackDefinition[])[]
): ReadonlyMap<string, StackDefinition> {
  const registry = new Map<string, StackDefinition>();
  for (const stack of groups.flat()) {
    if (registry.has(stack.id))
      throw new UserError(`two stacks have the id '${stack.id}'; stack ids must be unique`);
    registry.set(stack.id, stack);
  }
  return registry;
}
