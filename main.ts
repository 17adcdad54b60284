import { App } from "cdktf";
import { loadEnvironments } from "./config";
import { applyPolicies } from "./policies";
import { runCli } from "./scripts/lib/cli";
import { synthesizeAtomically } from "./scripts/lib/atomic-synth";
import { ProdStack } from "./stacks/prod-stack";
import { StagingStack } from "./stacks/staging-stack";

runCli(() => {
  const environments = loadEnvironments();
  synthesizeAtomically(process.env.CDKTF_OUTDIR ?? "cdktf.out", (outdir) => {
    const app = new App({ outdir });
    new StagingStack(app, environments.staging);
    new ProdStack(app, environments.production);
    applyPolicies(app);
    app.synth();
  });
});
