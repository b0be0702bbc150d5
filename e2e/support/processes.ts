import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Child processes of the e2e suite: the Yunxi server and its operator CLI, run exactly as an operator would. */

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const serverMain = path.join(repoRoot, "apps/server/src/main.ts");
const cliMain = path.join(repoRoot, "apps/server/src/cli/yunxi.ts");

/** A port that was free a moment ago on 127.0.0.1 (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Only what a child needs: no test-runner variables (NODE_OPTIONS, VITEST…) leak into it. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TZ: process.env.TZ ?? "UTC", ...env };
}

/** `node apps/server/src/cli/yunxi.ts …`; resolves with stdout, rejects with stderr on a non-zero exit. */
export function runCli(env: Record<string, string>, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cliMain, ...args],
      { cwd: repoRoot, env: childEnv(env), timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`yunxi ${args[0]} failed (${error.message}):\n${stderr}\n${stdout}`));
        else resolve(stdout);
      },
    );
  });
}

/** The `id=<uuid>` a CLI command prints. */
export function idFrom(stdout: string): string {
  const match = /id=([0-9a-f-]{36})/.exec(stdout);
  if (!match) throw new Error(`no id in CLI output: ${stdout}`);
  return match[1]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `node apps/server/src/main.ts` as a child process that can be started again
 * on the same data after a crash. Its output is appended to `logFile`.
 */
export class ServerProcess {
  readonly url: string;
  readonly #env: Record<string, string>;
  readonly #logFile: string;
  #child: ChildProcess | undefined;
  #exited: Promise<number | null> | undefined;
  starts = 0;

  constructor(env: Record<string, string> & { PORT: string }, logFile: string) {
    this.#env = env;
    this.#logFile = logFile;
    this.url = `http://127.0.0.1:${env.PORT}`;
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    fs.writeFileSync(logFile, "");
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Spawn and wait until /readyz answers 200. */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.#child) throw new Error("server already running");
    this.starts++;
    fs.appendFileSync(this.#logFile, `--- start #${this.starts} at ${new Date().toISOString()}\n`);
    const child = spawn(process.execPath, [serverMain], {
      cwd: repoRoot,
      env: childEnv({ ...this.#env, HOST: "127.0.0.1" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const log = fs.createWriteStream(this.#logFile, { flags: "a" });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.#child = child;
    this.#exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        fs.appendFileSync(this.#logFile, `--- exit code=${code} signal=${signal} at ${new Date().toISOString()}\n`);
        if (this.#child === child) this.#child = undefined;
        resolve(code);
      }),
    );
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`server exited during start (code ${child.exitCode}); see ${this.#logFile}`);
      }
      try {
        const res = await fetch(`${this.url}/readyz`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error(`server not ready after ${timeoutMs} ms; see ${this.#logFile}`);
  }

  /** SIGKILL: no shutdown hooks, no flushing, like a power cut of the process. */
  async kill9(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    child.kill("SIGKILL");
    await this.#exited;
  }

  /** SIGTERM and wait for the graceful exit; resolves with the exit code (SIGKILL after timeoutMs). */
  async stop(timeoutMs = 20_000): Promise<number | null> {
    const child = this.#child;
    if (!child) return null;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    const code = await this.#exited!;
    clearTimeout(timer);
    return code;
  }
}
