import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Runs `body` holding a lock between processes: the directory `lockDir`, made with an exclusive mkdir and
 * holding the owner's pid. Another process waits until it is gone; a lock whose owner has died (killed
 * mid-install) is taken over. Two previews, or two test files, sharing one provider install root never
 * install into the same directory at once.
 */
export async function withDirectoryLock<T>(lockDir: string, body: () => Promise<T>): Promise<T> {
  const owner = join(lockDir, "pid");
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(owner, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let pid = NaN;
    try {
      pid = Number(readFileSync(owner, "utf8"));
    } catch {
      // Just made by its owner, pid not written yet: wait like for a live owner.
    }
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    await sleep(200);
  }
  try {
    return await body();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
