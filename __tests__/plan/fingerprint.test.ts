import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compareFingerprints, fingerprint, parseFingerprint } from "../../lib/plan/fingerprint";
import type { PlanJson, PlanResourceChange } from "../../lib/plan/plan-json";
import type { SecretAttribute } from "../../lib/plan/secrets";

/** state-plan.json: a real plan with updates, replaces and deletes (see fixtures/plans/make-state-plan.ts). */
const plan = JSON.parse(
  readFileSync(join(__dirname, "../fixtures/plans/state-plan.json"), "utf8"),
) as PlanJson;
const SECRETS: SecretAttribute[] = [
  { address: "aws_lambda_function.fn", path: ["environment", "variables", "APNS_SIGNING_KEY"] },
];

/** The plan with one resource change edited. */
function edit(address: string, body: (c: PlanResourceChange) => PlanResourceChange): PlanJson {
  return {
    ...plan,
    resource_changes: plan.resource_changes!.map((c) => (c.address === address ? body(c) : c)),
  };
}
const withAfter = (c: PlanResourceChange, after: Record<string, unknown>): PlanResourceChange => ({
  ...c,
  change: { ...c.change, after: { ...(c.change.after as object), ...after } },
});

test("the same plan gives the same fingerprint, whatever the order of changes or keys", () => {
  const reordered: PlanJson = {
    ...plan,
    resource_changes: [...plan.resource_changes!].reverse().map((c) => ({
      ...c,
      change: Object.fromEntries(Object.entries(c.change).reverse()) as PlanResourceChange["change"],
    })),
  };
  expect(fingerprint(reordered).sha256).toBe(fingerprint(plan).sha256);
  expect(compareFingerprints(fingerprint(plan), fingerprint(reordered))).toEqual([]);
});

test("a changed value, a new resource or a different action is a difference, shown by address", () => {
  const reviewed = fingerprint(plan);
  const retention = fingerprint(
    edit("aws_cloudwatch_log_group.logs", (c) => withAfter(c, { retention_in_days: 1 })),
  );
  expect(compareFingerprints(reviewed, retention)).toEqual([
    "aws_cloudwatch_log_group.logs: after retention_in_days: 7 -> 1",
  ]);

  const extra = fingerprint({
    ...plan,
    resource_changes: [
      ...plan.resource_changes!,
      {
        ...plan.resource_changes!.find((c) => c.address === "aws_iam_role.old_role")!,
        address: "aws_iam_role.another",
      },
    ],
  });
  expect(compareFingerprints(reviewed, extra)).toEqual([
    "aws_iam_role.another: not in the reviewed plan, now delete",
  ]);

  const replaced = fingerprint(
    edit("aws_cloudwatch_log_group.logs", (c) => ({
      ...c,
      change: { ...c.change, actions: ["delete", "create"] },
    })),
  );
  expect(compareFingerprints(reviewed, replaced)).toEqual([
    "aws_cloudwatch_log_group.logs: actions update -> delete, create",
  ]);
});

test("sensitive and secret-bearing values are not in the document, and do not change the fingerprint", () => {
  const doc = fingerprint(plan, SECRETS);
  const text = JSON.stringify(doc);
  for (const secret of [
    "real-parameter-secret-from-state",
    "real-lambda-secret-from-state",
    "FAKE-TEST-VALUE",
  ])
    expect(text).not.toContain(secret);
  const otherSecret = edit("aws_ssm_parameter.token", (c) => withAfter(c, { value: "another-secret" }));
  expect(fingerprint(otherSecret, SECRETS).sha256).toBe(doc.sha256);
  const otherEnvSecret = edit("aws_lambda_function.fn", (c) =>
    withAfter(c, { environment: [{ variables: { LOG_LEVEL: "INFO", APNS_SIGNING_KEY: "rotated" } }] }),
  );
  expect(fingerprint(otherEnvSecret, SECRETS).sha256).toBe(doc.sha256);
  // ...but a non-secret value next to it does.
  const otherLevel = edit("aws_lambda_function.fn", (c) =>
    withAfter(c, { environment: [{ variables: { LOG_LEVEL: "WARN", APNS_SIGNING_KEY: "x" } }] }),
  );
  expect(compareFingerprints(doc, fingerprint(otherLevel, SECRETS))).toEqual([
    'aws_lambda_function.fn: after environment[0].variables.LOG_LEVEL: "INFO" -> "WARN"',
  ]);
});

test("no-op changes and data sources are not part of it", () => {
  const noop: PlanResourceChange = {
    address: "aws_sqs_queue.same",
    mode: "managed",
    type: "aws_sqs_queue",
    name: "same",
    change: { actions: ["no-op"], before: { a: 1 }, after: { a: 1 } },
  };
  const read: PlanResourceChange = {
    ...noop,
    address: "data.x.y",
    mode: "data",
    change: { actions: ["read"] },
  };
  const withExtras = { ...plan, resource_changes: [...plan.resource_changes!, noop, read] };
  expect(fingerprint(withExtras).sha256).toBe(fingerprint(plan).sha256);
});

test("a stored document must match its own hash", () => {
  const doc = fingerprint(plan);
  expect(parseFingerprint(JSON.stringify(doc), "f.json").sha256).toBe(doc.sha256);
  const tampered = { ...doc, changes: doc.changes.slice(1) };
  expect(() => parseFingerprint(JSON.stringify(tampered), "f.json")).toThrow(
    "f.json: sha256 does not match its changes",
  );
  expect(() => parseFingerprint("{}", "f.json")).toThrow("f.json: expected a fingerprint document");
  expect(() => parseFingerprint("nope", "f.json")).toThrow("f.json: not JSON");
});
