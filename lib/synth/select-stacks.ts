import { UserError } from "../cli/cli";

/**
 * The stacks to synthesize: the ids named on the command line (or by cdktf's CDKTF_TARGET_STACK_ID),
 * else all. An unknown id is a user error that lists the real ones.
 */
export function selectStacks(known: readonly string[], requested: readonly string[]): string[] {
  const wanted = requested.filter(Boolean);
  if (wanted.length === 0) return [...known];
  const unknown = wanted.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    throw new UserError(
      `unknown stack ${unknown.map((id) => `'${id}'`).join(", ")}; the stacks are: ${known.join(", ")}`,
    );
  }
  return known.filter((id) => wanted.includes(id));
}
