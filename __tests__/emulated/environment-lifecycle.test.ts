import { testEnvironments } from "../helpers/environments";
import { describeLifecycle } from "./lifecycle";

describeLifecycle(
  "every environment stack in config, applied in an emulated account",
  testEnvironments().map((e) => ({
    stackId: e.stackId,
    protectedData: e.config.deletionProtection,
    release: true,
  })),
);
