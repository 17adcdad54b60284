import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withDirectoryLock } from "../../lib/engine/lock";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lock-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tick = () => new Promise((resolve) => setTimeout(resolve, 50));

test("holders run one at a time, in turn, and the lock is gone afterwards", async () => {
  const lock = join(dir, "install.lock");
  const events: string[] = [];
  const holder = (name: string) =>
    withDirectoryLock(lock, async () => {
      events.push(`${name} in`);
      await tick();
      events.push(`${name} out`);
      return name;
    });
  expect(await Promise.all([holder("a"), holder("b"), holder("c")])).toEqual(["a", "b", "c"]);
  // Each holder leaves before the next enters.
  for (let i = 0; i < events.length; i += 2) expect(events[i + 1]).toBe(events[i].replace(" in", " out"));
  expect(existsSync(lock)).toBe(false);
});

test("the lock is released when the body throws", async () => {
  const lock = join(dir, "install.lock");
  await expect(
    withDirectoryLock(lock, async () => {
      throw new Error("install failed");
    }),
  ).rejects.toThrow("install failed");
  expect(existsSync(lock)).toBe(false);
  expect(await withDirectoryLock(lock, async () => "next")).toBe("next");
});

test("a lock left by a process that died (killed mid-install) is taken over", async () => {
  const lock = join(dir, "install.lock");
  // A pid that is certainly not running any more: a child that has exited.
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  });
  mkdirSync(lock);
  writeFileSync(join(lock, "pid"), child.stdout);
  expect(await withDirectoryLock(lock, async () => "taken over")).toBe("taken over");
  expect(existsSync(lock)).toBe(false);
});
