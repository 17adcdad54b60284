import { driftMarker, syncDriftIssue, type Issue, type IssuesApi } from "../../lib/pipeline/drift-issue";

/** An in-memory issue tracker with the calls syncDriftIssue makes. */
function tracker(initial: (Issue & { labels: string[] })[] = []) {
  const issues = initial.map((i) => ({ ...i, open: true, comments: [] as string[] }));
  let next = 100;
  const api: IssuesApi = {
    listOpen: async (label) => issues.filter((i) => i.open && i.labels.includes(label)),
    create: async (_title, body, labels) => {
      issues.push({ number: next, body, labels: [...labels], open: true, comments: [] });
      return next++;
    },
    update: async (number, body) => {
      issues.find((i) => i.number === number)!.body = body;
    },
    comment: async (number, body) => {
      issues.find((i) => i.number === number)!.comments.push(body);
    },
    close: async (number) => {
      issues.find((i) => i.number === number)!.open = false;
    },
  };
  return { api, issues };
}

test("drift opens one issue per stack, then updates it in place", async () => {
  const { api, issues } = tracker();
  expect(await syncDriftIssue(api, { stack: "prod-stack", drifted: true, body: "plan v1" })).toEqual({
    action: "opened",
    number: 100,
  });
  expect(await syncDriftIssue(api, { stack: "staging-stack", drifted: true, body: "plan s" })).toMatchObject({
    action: "opened",
    number: 101,
  });
  expect(await syncDriftIssue(api, { stack: "prod-stack", drifted: true, body: "plan v2" })).toEqual({
    action: "updated",
    number: 100,
  });
  expect(issues.map((i) => [i.number, i.labels, i.body])).toEqual([
    [100, ["drift"], `${driftMarker("prod-stack")}\nplan v2`],
    [101, ["drift"], `${driftMarker("staging-stack")}\nplan s`],
  ]);
});

test("no drift closes the stack's issue with a comment, and leaves other stacks' issues alone", async () => {
  const { api, issues } = tracker([
    { number: 1, body: `${driftMarker("prod-stack")}\nold`, labels: ["drift"] },
    { number: 2, body: `${driftMarker("staging-stack")}\nold`, labels: ["drift"] },
  ]);
  expect(
    await syncDriftIssue(api, { stack: "prod-stack", drifted: false, body: "", runUrl: "https://r/1" }),
  ).toEqual({
    action: "closed",
    number: 1,
  });
  expect(issues.map((i) => i.open)).toEqual([false, true]);
  expect(issues[0].comments[0]).toContain("finds no changes any more ([run](https://r/1))");
  expect(await syncDriftIssue(api, { stack: "prod-stack", drifted: false, body: "" })).toEqual({
    action: "none",
  });
});

test("an issue that only quotes the marker without the label is not taken over", async () => {
  const { api, issues } = tracker([{ number: 5, body: driftMarker("prod-stack"), labels: [] }]);
  expect((await syncDriftIssue(api, { stack: "prod-stack", drifted: true, body: "x" })).action).toBe(
    "opened",
  );
  expect(issues[0].body).toBe(driftMarker("prod-stack"));
});
