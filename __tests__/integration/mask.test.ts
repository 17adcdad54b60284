import { maskInGitHubActions } from "../../lib/integration/mask";

test("under GitHub Actions the API key is masked with a workflow command, line by line", () => {
  const lines: string[] = [];
  expect(maskInGitHubActions("k3y-value", { GITHUB_ACTIONS: "true" }, (l) => lines.push(l))).toBe(true);
  expect(maskInGitHubActions("a\nb", { GITHUB_ACTIONS: "true" }, (l) => lines.push(l))).toBe(true);
  expect(lines).toEqual(["::add-mask::k3y-value\n", "::add-mask::a\n", "::add-mask::b\n"]);
});

test("elsewhere nothing is printed (a local run must not echo the key)", () => {
  const lines: string[] = [];
  expect(maskInGitHubActions("k3y-value", {}, (l) => lines.push(l))).toBe(false);
  expect(lines).toEqual([]);
});
