import { App } from "cdktf";
import { loadBootstrap, loadEnvironments } from "./config";
import { applyPolicies } from "./policies";
import { synthesizeAtomically } from "./lib/synth/atomic-synth";
import { runCli } from "./lib/cli/cli";
import { selectStacks } from "./lib/synth/select-stacks";
import { bootstrapStacks } from "./stacks/bootstrap-stack";
import { ProdStack } from "./stacks/prod-stack";
import { StagingStack } from "./stacks/staging-stack";

runCli(() => {
  const environments = loadEnvironments();
  const stacks: Record<string, (app: App) => void> = {
    [StagingStack.ID]: (app: App) => new StagingStack(app, environments.staging),
    [ProdStack.ID]: (app: App) => new ProdStack(app, environments.production),
    ...bootstrapStacks(loadBootstrap(environments), {
      [environments.staging.environment]: StagingStack.ID,
      [environments.production.environment]: ProdStack.ID,
    }),
  };
  const requested = [...process.argv.slice(2), process.env.CDKTF_TARGET_STACK_ID ?? ""];
  const selected = selectStacks(Object.keys(stacks), requested);
  synthesizeAtomically(process.env.CDKTF_OUTDIR ?? "cdktf.out", (outdir) => {
    const app = new App({ outdir, stackTraces: false });
    selected.forEach((id) => stacks[id](app));
    applyPolicies(app);
    app.synth();
  });
});
