import { INLINE_POLICY_RACE } from "../../lib/rehearse/rehearse";

// The provider's error when it reads a role's inline policies while the apply deletes one (a production
// rehearsal, hashicorp/aws 5.100.0 against moto 5.2.1): the one failure the rehearsal plans and applies again.
const SEEN =
  "Error: reading inline policies for IAM role prod-MigrateDSQL, error: operation error IAM: GetRolePolicy, " +
  "https response error StatusCode: 404, RequestID: yLWuolnDp00yJGiRvkbFUbdUTW7QmsYsoaI8Ce67OX6YM0N8geCN, " +
  "NoSuchEntity: Policy Document MigrateDSQLLogging not attached to role prod-MigrateDSQL";

test("the inline-policy race is recognised, and no other apply failure is", () => {
  expect(INLINE_POLICY_RACE.test(SEEN)).toBe(true);
  expect(INLINE_POLICY_RACE.test("Error: creating IAM Role (prod-X): EntityAlreadyExists")).toBe(false);
  expect(INLINE_POLICY_RACE.test("Error: reading IAM Role (prod-X): NoSuchEntity")).toBe(false);
});
