import { loadBootstrap } from "../../config";
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { environments } from "../helpers/environments";
import { describeLifecycle } from "./lifecycle";

const bootstrap = loadBootstrap(environments());

describeLifecycle(
  "every bootstrap stack in config, applied in an emulated account",
  bootstrap.accounts.map((account) => ({
    stackId: BootstrapStack.idFor(account.accountId, bootstrap.accounts.length),
    // The state and artifacts buckets and their keys are prevent_destroy.
    protectedData: true,
    release: false,
  })),
);
