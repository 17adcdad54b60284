import { UNNAMED_SCOPE_REASONS, WILDCARD_SCOPES } from "./deploy-scopes";
import { RUNTIME_PERMISSIONS } from "./permissions-boundary";
import { RESOURCE_PERMISSIONS, grantActions } from "./resource-permissions";

/**
 * The actions the bootstrap's policies grant on `"*"` (deploy and plan roles, boundaries), each with its
 * reason: the table's grants on a wildcard scope. policies/iam-wildcard-exceptions.ts lists them.
 */
export function bootstrapWildcardActions(): Record<string, string> {
  const actions: Record<string, string> = {};
  const add = (scope: (typeof WILDCARD_SCOPES)[number], list: readonly string[]) => {
    for (const action of list) actions[action] ??= `deploy permissions: ${UNNAMED_SCOPE_REASONS[scope]}`;
  };
  for (const row of Object.values(RESOURCE_PERMISSIONS))
    for (const grant of row.grants)
      if ((WILDCARD_SCOPES as readonly string[]).includes(grant.scope))
        add(grant.scope as (typeof WILDCARD_SCOPES)[number], grantActions(grant));
  for (const { scope, actions: list } of RUNTIME_PERMISSIONS)
    if ((WILDCARD_SCOPES as readonly string[]).includes(scope))
      add(scope as (typeof WILDCARD_SCOPES)[number], list);
  return actions;
}
