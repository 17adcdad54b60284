import type { PolicyRule } from "../types";
import { dataProtectionRule } from "./data-protection";
import { iamLeastPrivilegeRule } from "./iam-least-privilege";
import { lambdaPermissionSourceRule } from "./lambda-permission-source";
import { logRetentionRule } from "./log-retention";
import { namePrefixRule } from "./name-prefix";
import { permissionsBoundaryRule } from "./permissions-boundary";
import { requiredTagsRule } from "./required-tags";

/** The project's policy pack: every rule, applied at synth (aspects) and to plans. */
export const RULES: readonly PolicyRule[] = [
  requiredTagsRule,
  namePrefixRule,
  dataProtectionRule,
  logRetentionRule,
  iamLeastPrivilegeRule,
  lambdaPermissionSourceRule,
  permissionsBoundaryRule,
];

export {
  dataProtectionRule,
  iamLeastPrivilegeRule,
  lambdaPermissionSourceRule,
  logRetentionRule,
  namePrefixRule,
  permissionsBoundaryRule,
  requiredTagsRule,
};
