import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { UserError } from "../cli/cli";

/** The emulator this tier is built and checked against (moto's server, Apache-2.0). */
export const MOTO_VERSION = "5.2.1";

/** Fake, obviously so; never a credential. Every client of the emulated account uses them. */
export const EMULATOR_ACCESS_KEY = "AKIAEMULATEDACCOUNT0";
export const EMULATOR_SECRET_KEY = "emulated-account-fake-secret-not-a-credential";
export const EMULATOR_CREDENTIALS = {
  accessKeyId: EMULATOR_ACCESS_KEY,
  secretAccessKey: EMULATOR_SECRET_KEY,
};

/** The account moto answers for (iam:GetUser, STS): the config's placeholder account id. */
export const EMULATED_ACCOUNT_ID = "123456789012";

/**
 * Server settings the stacks need (the gap table in lib/emulator/README.md says why each one):
 * DSQL outside us-east-1/us-east-2, and the AWS-managed policies the API Gateway account role attaches.
 */
const SERVER_ENV: Readonly<Record<string, string>> = {
  MOTO_ALLOW_NONEXISTENT_REGION: "true",
  MOTO_IAM_LOAD_MANAGED_POLICIES: "true",
};

export interface Emulator {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Where the recorder writes (when started with one). */
  readonly recorderFile?: string;
  /** Stops this server (by its own PID) and waits for it to exit. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Record every request to this file (see startRecording). */
  readonly recorderFile?: string;
  /** python3 (a name on PATH or a path). @default python3 */
  readonly python?: string;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** Why the emulator cannot run here, or undefined when moto 5.2.1 is importable. */
export function emulatorProblem(python = "python3"): string | undefined {
  const result = spawnSync(python, ["-c", "import moto, sys; sys.stdout.write(moto.__version__)"], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
  });
  if (result.error) return `${python} not found (the emulated tier needs python3 with moto ${MOTO_VERSION})`;
  if (result.status !== 0)
    return `moto is not importable by ${python} (the emulated tier needs moto ${MOTO_VERSION})`;
  if (result.stdout.trim() !== MOTO_VERSION)
    return `moto ${result.stdout.trim()} found, but the emulated tier is built against moto ${MOTO_VERSION}`;
  return undefined;
}

/** A free TCP port on loopback, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port")),
      );
    });
  });
}

const LOOPBACK = /^http:\/\/(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(:\d+)?\/?$/;

/** Throws unless `endpoint` is on the loopback range: the harness never sends a request anywhere else. */
export function assertLoopback(endpoint: string, what = "emulator endpoint"): void {
  if (!LOOPBACK.test(endpoint))
    throw new UserError(`${what} ${endpoint} is not on loopback (127.0.0.0/8): refusing to use it`);
}

/**
 * The environment the emulator and every AWS client the harness runs get: no AWS_* variable of the
 * caller (never a real credential or profile), fake keys, and the emulator as the one endpoint.
 */
export function emulatorClientEnv(
  endpoint: string,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  assertLoopback(endpoint);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base))
    if (!/^AWS_/.test(key) && !/^TF_VAR_/.test(key)) env[key] = value;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: EMULATOR_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: EMULATOR_SECRET_KEY,
    AWS_REGION: "us-west-2",
    AWS_ENDPOINT_URL: endpoint,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  };
}

async function waitReady(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the emulator exited with ${child.exitCode} before it was ready:\n${output()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the emulator at ${endpoint} was not ready within 60 s:\n${output()}`);
}

/**
 * Starts moto's server on 127.0.0.1 at a free port and waits until it answers. The PID held is the
 * server's own (python3 -m moto.server, no wrapper), and stop() signals only that PID.
 */
export async function startEmulator(options: StartOptions = {}): Promise<Emulator> {
  const python = options.python ?? "python3";
  const problem = emulatorProblem(python);
  if (problem) throw new UserError(problem);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    ...SERVER_ENV,
    ...(options.recorderFile ? { MOTO_RECORDER_FILEPATH: options.recorderFile } : {}),
  };
  const child = spawn(python, ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    await waitReady(endpoint, child, () => output);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  options.log?.(`emulator: moto ${MOTO_VERSION} on ${endpoint} (pid ${child.pid})`);
  return {
    endpoint,
    port,
    pid: child.pid!,
    recorderFile: options.recorderFile,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** POST to one of moto's own endpoints (/moto-api/...). */
export async function motoApi(endpoint: string, path: string, body?: unknown): Promise<void> {
  assertLoopback(endpoint);
  const response = await fetch(`${endpoint}/moto-api/${path}`, {
    method: "POST",
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  if (!response.ok) throw new Error(`moto-api/${path}: HTTP ${response.status} ${await response.text()}`);
}

/** Starts (or stops) appending every request to the emulator's recorder file. */
export function recording(endpoint: string, on: boolean): Promise<void> {
  return motoApi(endpoint, on ? "recorder/start-recording" : "recorder/stop-recording");
}

/** Empties the recorder file. */
export function resetRecording(endpoint: string): Promise<void> {
  return motoApi(endpoint, "recorder/reset-recording");
}
