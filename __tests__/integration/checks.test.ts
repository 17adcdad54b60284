import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { runChecks, type StackOutputs } from "../../lib/integration/checks";

/** A stand-in for a deployed environment, healthy or broken, on loopback. */
function fakeEnvironment(broken: boolean): Promise<{ server: Server; outputs: StackOutputs }> {
  const server = createServer((req, res) => {
    if (req.url === "/api/files") {
      res.writeHead(403, {
        "content-type": "application/json",
        "x-frame-options": "DENY",
        "cache-control": broken ? "max-age=60" : "no-store",
      });
      res.end(
        JSON.stringify({ error: { code: "custom-4XX-generic", message: "Forbidden" }, requestId: "r" }),
      );
    } else if (req.url === "/cdn/files") {
      res.writeHead(req.headers["x-api-key"] === "secret-key" && !broken ? 200 : 403);
      res.end("[]");
    } else if (req.url === "/media/default-file.mp4") {
      res.writeHead(broken ? 403 : 200, { "content-type": "video/mp4" });
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((done) =>
    server.listen(0, "127.0.0.1", () => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      done({
        server,
        outputs: {
          apiUrl: `${base}/api`,
          apiDistributionUrl: `${base}/cdn`,
          mediaDistributionUrl: `${base}/media`,
          apiKey: "secret-key",
          defaultFileKey: "default-file.mp4",
        },
      });
    }),
  );
}

test("a healthy environment passes every check", async () => {
  const { server, outputs } = await fakeEnvironment(false);
  try {
    const results = await runChecks(outputs);
    expect(results.map((r) => [r.ok, r.detail])).toEqual(results.map(() => [true, "ok"]));
  } finally {
    server.close();
  }
});

test("a broken environment fails each check with a reason, and no reason shows the API key", async () => {
  const { server, outputs } = await fakeEnvironment(true);
  try {
    const results = await runChecks(outputs);
    expect(results.map((r) => r.ok)).toEqual([false, false, false]);
    expect(results[0].detail).toMatch(/Cache-Control/);
    expect(results[1].detail).toMatch(/403/);
    expect(results[2].detail).toMatch(/expected 200, got 403/);
    expect(JSON.stringify(results)).not.toContain("secret-key");
  } finally {
    server.close();
  }
});
