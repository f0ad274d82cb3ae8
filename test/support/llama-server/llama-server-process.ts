import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import { locateLlamaCppBuild } from "../../../scripts/llama-cpp/llama-cpp-build.js";

/** A llama-server started for a test or a benchmark. */
export interface LlamaServerProcess {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  port: number;
  pid: number;
  /** The server's last output lines, for failure messages. */
  recentOutput(): string;
  stop(): Promise<void>;
}

export interface LlamaServerStartOptions {
  binary: string;
  model: string;
  /** Default: a free port. A restarted server can take its predecessor's. */
  port?: number;
  /** Pins sampling for every request that sets no seed of its own; random weights then answer reproducibly. */
  seed?: number;
  /** Parallel slots (`-np`). */
  slots?: number;
  /** Total context over all slots (`-c`). */
  contextSize?: number;
  threads?: number;
  /** Tokens never sampled (see partialUtf8TokenIds); the probabilities the server reports are unchanged. */
  excludeTokens?: number[];
  /** More flags, e.g. flash attention and the KV cache type for the benchmark. */
  extraArgs?: string[];
  readyTimeoutMs?: number;
}

/** Where the llama-server binary is: LLAMA_SERVER_BIN, else the cached build; or why there is none. */
export async function findLlamaServerBinary(): Promise<{ binary: string } | { missing: string }> {
  const fromEnv = process.env.LLAMA_SERVER_BIN;
  if (fromEnv) {
    const ok = await fs.access(fromEnv, fs.constants.X_OK).then(
      () => true,
      () => false,
    );
    return ok ? { binary: fromEnv } : { missing: `LLAMA_SERVER_BIN=${fromEnv} is not an executable file` };
  }
  const build = await locateLlamaCppBuild();
  if (build.built.includes("llama-server")) return { binary: build.binaries["llama-server"] };
  return {
    missing:
      "no llama-server: set LLAMA_SERVER_BIN or run `npm run build:llama-server` (~15 min on 2 cores, once)",
  };
}

/** A port that was free a moment ago (the OS picks it). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilHealthy(baseUrl: string, exited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error("llama-server exited during start-up");
    const ok = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`llama-server was not healthy within ${timeoutMs} ms`);
}

/** Starts llama-server on a free local port and resolves once it answers `/health` with 200. */
export async function startLlamaServer(options: LlamaServerStartOptions): Promise<LlamaServerProcess> {
  const port = options.port ?? (await freePort());
  const args = [
    ...["-m", options.model, "--host", "127.0.0.1", "--port", String(port)],
    ...["--seed", String(options.seed ?? 1), "-np", String(options.slots ?? 2)],
    ...["-c", String(options.contextSize ?? 2048), "-t", String(options.threads ?? 1)],
    ...(options.excludeTokens ?? []).flatMap((id) => ["--logit-bias", `${id}-inf`]),
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(options.binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 60));
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exit;
    clearTimeout(killer);
  };
  try {
    await waitUntilHealthy(baseUrl, () => exited, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${lines.slice(-20).join("\n")}`, { cause: error });
  }
  return { baseUrl, port, pid: child.pid!, recentOutput: () => lines.join("\n"), stop };
}
