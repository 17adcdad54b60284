import type { PolicyRule } from "../types";
import { dataProtectionRule } from "./data-protection";
import { eventSourceConcurrencyRule } from "./event-source-concurrency";
import { iamLeastPrivilegeRule } from "./iam-least-privilege";
import { iamValidityRule } from "./iam-validity";
import { lambdaPackageLimitsRule } from "./lambda-package-limits";
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
  iamValidityRule,
  lambdaPermissionSourceRule,
  lambdaPackageLimitsRule,
  eventSourceConcurrencyRule,
  permissionsBoundaryRule,
];

export {
  dataProtectionRule,
  eventSourceConcurrencyRule,
  iamLeastPrivilegeRule,
  iamValidityRule,
  lambdaPackageLimitsRule,
  lambdaPermissionSourceRule,
  logRetentionRule,
  namePrefixRule,
  permissionsBoundaryRule,
  requiredTagsRule,
};
