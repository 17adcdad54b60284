import { Testing } from "cdktf";
import { loadBootstrap } from "../../config";
import { bootstrapStacks } from "../../stacks/bootstrap-stack";
import { environmentStacks, stackRegistry } from "../../stacks/registry";
import { environments } from "../helpers/environments";
import { synthForSnapshot } from "../helpers/synth";

/**
 * A snapshot of every stack main.ts creates, read from config through the registry as main.ts builds it:
 * each environment's stack (an environment added by config gets one too) and each account's bootstrap
 * stack. A pull request's snapshot diff then shows every stack it touches. Environment stacks come from
 * the run's synth cache; the others are synthesized here.
 */
const envs = environments();
const fromCache = new Set(environmentStacks(envs).map((s) => s.id));
const registry = stackRegistry(environmentStacks(envs), bootstrapStacks(loadBootstrap(envs)));

test.each([...registry.keys()])("%s matches the reviewed snapshot", (id) => {
  const snapshot = fromCache.has(id)
    ? synthForSnapshot(id)
    : (JSON.parse(Testing.synth(registry.get(id)!.create(Testing.app()))) as unknown);
  expect(snapshot).toMatchSnapshot();
});
