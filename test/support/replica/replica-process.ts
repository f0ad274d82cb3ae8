import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { packageRoot } from "../../../src/config.js";

/** A running replica process and what it printed. */
export interface ReplicaProcess {
  name: string;
  port: number;
  child: ChildProcess;
  /** Every JSON line it printed so far (server logs, `holding` markers). */
  lines: Record<string, unknown>[];
  /** Log messages (`msg`) so far. */
  messages(): string[];
  url(pathname: string): string;
  /** Resolves with the first printed line that matches, within `timeoutMs`. */
  waitFor(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs: number,
  ): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const script = path.join(packageRoot, "test", "support", "replica", "replica-main.ts");

/** Starts `replica-main.ts` under tsx with `env` added to a minimal environment, and waits until it listens. */
export async function startReplica(name: string, env: Record<string, string>): Promise<ReplicaProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: packageRoot,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: {
    match: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }[] = [];
  let buffered = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split("\n");
    buffered = parts.pop() ?? "";
    for (const text of parts) {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.match(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const waitFor = (match: (line: Record<string, unknown>) => boolean, timeoutMs: number) => {
    const seen = lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`${name}: no matching line within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`),
          ),
        timeoutMs,
      );
      waiters.push({
        match,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      void exited.then(() => reject(new Error(`${name} exited; stderr: ${stderr.slice(-2000)}`)));
    });
  };
  const listening = await waitFor((line) => typeof line.listening === "number", 120_000);
  const port = listening.listening as number;
  return {
    name,
    port,
    child,
    lines,
    messages: () => lines.map((line) => line.msg).filter((msg): msg is string => typeof msg === "string"),
    url: (pathname) => `http://127.0.0.1:${port}${pathname}`,
    waitFor,
    async kill(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}
