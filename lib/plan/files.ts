import { existsSync, readFileSync } from "node:fs";
import { UserError } from "../cli/cli";
import type { PlanJson } from "./plan-json";
import { secretAttributes, type SecretAttribute } from "./secrets";

/** Reading the inputs of the plan commands, each problem one line naming the file. */

function readJson(file: string, what: string): unknown {
  if (!existsSync(file)) throw new UserError(`${file}: not found (expected ${what})`);
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new UserError(`${file}: not JSON (expected ${what})`);
  }
}

/** A plan JSON written by `tofu show -json <plan>` (or terraform's). */
export function readPlan(file: string): PlanJson {
  const plan = readJson(file, "the output of `show -json <planfile>`") as Partial<PlanJson>;
  if (typeof plan?.format_version !== "string")
    throw new UserError(`${file}: no format_version (expected the output of \`show -json <planfile>\`)`);
  if (plan.resource_changes !== undefined && !Array.isArray(plan.resource_changes))
    throw new UserError(`${file}: resource_changes is not a list`);
  return plan as PlanJson;
}

/** The secret-bearing attributes of a synthesized stack file (cdk.tf.json). */
export function readSecretAttributes(file: string): SecretAttribute[] {
  const stack = readJson(file, "a synthesized stack (cdk.tf.json)") as { resource?: unknown };
  if (
    stack === null ||
    typeof stack !== "object" ||
    (stack.resource !== undefined && typeof stack.resource !== "object")
  )
    throw new UserError(`${file}: expected a synthesized stack (cdk.tf.json)`);
  return secretAttributes(stack as Parameters<typeof secretAttributes>[0]);
}
