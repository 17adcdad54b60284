import { emulatorProblem, startEmulator } from "../../lib/emulator/server";
import { describeWithEmulator } from "./emulator";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describeWithEmulator("the emulator server", () => {
  test("starts on loopback at a free port, answers, and stops by its own PID", async () => {
    const [a, b] = await Promise.all([startEmulator(), startEmulator()]);
    try {
      expect(a.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.port).not.toBe(b.port);
      expect((await fetch(`${a.endpoint}/moto-api/`)).status).toBe(200);
      await a.stop();
      expect(alive(a.pid)).toBe(false);
      // The other server is untouched: nothing is stopped by name.
      expect(alive(b.pid)).toBe(true);
      expect((await fetch(`${b.endpoint}/moto-api/`)).status).toBe(200);
      await expect(fetch(`${a.endpoint}/moto-api/`)).rejects.toThrow();
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});

test("a missing interpreter or moto is one line naming what the tier needs", () => {
  expect(emulatorProblem("/nonexistent/python3")).toMatch(
    /^\/nonexistent\/python3 not found \(the emulated tier needs python3 with moto 5\.2\.1\)$/,
  );
  expect(emulatorProblem("true")).toMatch(/moto/);
});
