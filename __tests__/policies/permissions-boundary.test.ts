import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Fn } from "cdktf";
import { synthStack } from "../helpers/synth";
import { PRODUCTION, found, synthViolations } from "./fixture";

const BOUNDARY = "arn:aws:iam::123456789012:policy/lifegames-MediaDownloader-production-boundary";
const WITH_BOUNDARY = { ...PRODUCTION, permissionsBoundary: BOUNDARY };
const trust = Fn.jsonencode({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

test("permissions-boundary: roles without the environment's boundary, or with another, are flagged", () => {
  const violations = synthViolations((stack) => {
    new IamRole(stack, "none", { name: "prod-none", assumeRolePolicy: trust });
    new IamRole(stack, "other", {
      name: "prod-other",
      assumeRolePolicy: trust,
      permissionsBoundary: "arn:aws:iam::123456789012:policy/lifegames-MediaDownloader-staging-boundary",
    });
    new IamRole(stack, "ok", { name: "prod-ok", assumeRolePolicy: trust, permissionsBoundary: BOUNDARY });
  }, WITH_BOUNDARY);
  expect(found(violations)).toEqual([
    ["permissions-boundary", "fixture/none"],
    ["permissions-boundary", "fixture/other"],
  ]);
  expect(violations[0].detail).toBe(`permissions_boundary is null, expected "${BOUNDARY}"`);
});

test("permissions-boundary: a stack that names no boundary (the bootstrap) is not judged", () => {
  expect(
    synthViolations(
      (stack) => void new IamRole(stack, "none", { name: "prod-none", assumeRolePolicy: trust }),
      PRODUCTION,
    ),
  ).toEqual([]);
});

test("every role of both environment stacks carries its environment's boundary", () => {
  for (const [id, environment] of [
    ["staging-stack", "staging"],
    ["prod-stack", "production"],
  ] as const) {
    const boundaries = new Set(
      Object.values(synthStack(id).resource.aws_iam_role).map((r) => r.permissions_boundary),
    );
    expect([...boundaries]).toEqual([
      `arn:aws:iam::123456789012:policy/lifegames-MediaDownloader-${environment}-boundary`,
    ]);
  }
});
