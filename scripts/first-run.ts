/**
 * A new user's first ten minutes, measured: `promptloop serve` (the built CLI, as `npm start` runs it) on a fresh
 * data folder, timed to its ready lines, its first sentiment answer and its first streamed chat token; then each
 * start-up mistake a new user makes, with the one line it prints and how long it took to say it.
 *
 *   npx tsx scripts/first-run.ts --model <file.gguf> [--json]
 *
 * `npm run build:server` first. Use a generated model with the real shapes where the real weights can't be
 * downloaded (`npx tsx test/support/gguf/generate-cli.ts --type q8_0`): the times are the engine's real costs, the
 * answers are meaningless.
 */
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { packageRoot } from "../src/config.js";

interface StartTimes {
  model: string;
  readyMs: number;
  /** CPU seconds the server process had used by then (Linux), a figure other work on the machine doesn't stretch. */
  readyCpuSeconds: number | null;
  readyLines: string[];
  firstSentimentMs: number;
  sentiment: unknown;
  firstChatTokenMs: number;
  chatDoneMs: number;
}

interface MistakeResult {
  mistake: string;
  exitCode: number | null;
  ms: number;
  stderr: string;
}

const bin = path.join(packageRoot, "bin", "promptloop.js");
const token = "first-run-walkthrough-0123456789";

/** User + system CPU seconds of a process, all its threads, from /proc (null elsewhere). */
async function cpuSeconds(pid: number | undefined): Promise<number | null> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (stat === null) return null;
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function baseEnv(dir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "",
    DATA_DIR: path.join(dir, `data-${Math.random().toString(36).slice(2)}`),
    ANALYSIS_CRON: "",
    ...extra,
  };
}

/** Starts serve, times it to its ready lines, a first sentiment and a first streamed chat token, then stops it. */
async function timeFirstAnswer(dir: string, model: string): Promise<StartTimes> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [bin, "serve"], {
    env: baseEnv(dir, { MODEL_PATH: model, PORT: String(port), ADMIN_TOKEN: token }),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (stderr.includes("API docs")) {
          clearInterval(check);
          resolve();
        } else if (child.exitCode !== null) {
          clearInterval(check);
          reject(new Error(`serve exited ${child.exitCode}:\n${stderr}`));
        }
      }, 20);
    });
    const readyMs = performance.now() - started;
    const readyCpuSeconds = await cpuSeconds(child.pid);
    const readyLines = stderr
      .slice(stderr.indexOf("promptloop: ready"))
      .trimEnd()
      .split("\n")
      .map((line) => line.replace(String(port), "<port>"));
    const origin = `http://127.0.0.1:${port}`;
    const sentimentResponse = await fetch(`${origin}/api/sentiment`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "这个结果真是令人失望，不过还能接受" }),
    });
    const sentiment: unknown = await sentimentResponse.json();
    const firstSentimentMs = performance.now() - started;
    const chat = await fetch(`${origin}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "你好，介绍一下你自己" }] }),
    });
    let firstChatTokenMs = Number.NaN;
    let text = "";
    const reader = chat.body?.getReader();
    const decoder = new TextDecoder();
    for (let part = await reader?.read(); part && !part.done; part = await reader?.read()) {
      text += decoder.decode(part.value, { stream: true });
      if (Number.isNaN(firstChatTokenMs) && text.includes("event: token"))
        firstChatTokenMs = performance.now() - started;
    }
    if (!text.includes("event: done")) throw new Error(`chat ended without done: ${text.slice(-300)}`);
    return {
      model,
      readyMs,
      readyCpuSeconds,
      readyLines,
      firstSentimentMs,
      sentiment,
      firstChatTokenMs,
      chatDoneMs: performance.now() - started,
    };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

function runServe(env: NodeJS.ProcessEnv): Promise<{ exitCode: number | null; ms: number; stderr: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, "serve"], { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGTERM"), 60_000);
    child.once("exit", (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, ms: performance.now() - started, stderr: stderr.trimEnd() });
    });
  });
}

/** Each mistake with the environment that makes it; everything else is a valid setup. */
async function mistakes(dir: string, model: string): Promise<MistakeResult[]> {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen({ host: "127.0.0.1", port: 0 }, resolve));
  const takenPort = (taken.address() as net.AddressInfo).port;
  const aFile = path.join(dir, "a-file");
  await fs.writeFile(aFile, "");
  const truncated = path.join(dir, "truncated.gguf");
  await fs.writeFile(truncated, "GGUF");
  const lfsPointer = path.join(dir, "lfs-pointer.gguf");
  await fs.writeFile(lfsPointer, "version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1\n");
  const webPage = path.join(dir, "web-page.gguf");
  await fs.writeFile(webPage, "<!DOCTYPE html><html><body>Sign in</body></html>");
  const cases: Array<[string, Record<string, string>]> = [
    ["port in use", { PORT: String(takenPort) }],
    ["PORT not a number", { PORT: "http" }],
    ["HOST not an address of this machine", { HOST: "192.0.2.1" }],
    // The default first start: no MODEL_PATH, so the published file is downloaded (killed after 60 s if it runs).
    ["no MODEL_PATH and no network", { MODEL_PATH: "", MODELS_DIR: path.join(dir, "models") }],
    ["model file missing", { MODEL_PATH: path.join(dir, "qwen1_5-0_5b-chat-q8_0.gguf") }],
    ["model file cut short", { MODEL_PATH: truncated }],
    ["model file is a Git LFS pointer", { MODEL_PATH: lfsPointer }],
    ["model file is a web page", { MODEL_PATH: webPage }],
    ["MODEL_PATH is a folder", { MODEL_PATH: dir }],
    ["ADMIN_TOKEN too short", { ADMIN_TOKEN: "secret" }],
    ["ADMIN_TOKEN with a space", { ADMIN_TOKEN: "my admin token 2026" }],
    ["DATA_DIR can't be written", { DATA_DIR: path.join(aFile, "data") }],
    ["MODEL_PRECISION=f32 (as in the write-up)", { MODEL_PRECISION: "f32", MODEL_PATH: "" }],
    ["MODEL_PRECISION=q9", { MODEL_PRECISION: "q9", MODEL_PATH: "" }],
  ];
  const results: MistakeResult[] = [];
  try {
    for (const [mistake, change] of cases) {
      const env = baseEnv(dir, { MODEL_PATH: model, PORT: String(await freePort()), ...change });
      for (const [key, value] of Object.entries(change)) if (value === "") delete env[key];
      const result = await runServe(env);
      results.push({ mistake, ...result, stderr: result.stderr.replaceAll(dir, "<tmp>") });
    }
  } finally {
    taken.close();
  }
  return results;
}

const program = new Command("first-run")
  .description("Time a first start to its first answers, and show each start-up mistake's message")
  .requiredOption("--model <file>", "a .gguf model (e.g. a generated one with the real shapes)")
  .option("--json", "print JSON instead of text", false)
  .action(async (options: { model: string; json: boolean }) => {
    await fs.access(path.join(packageRoot, "dist", "cli", "main.js")).catch(() => {
      throw new Error("dist/ is missing: run `npm run build:server` first");
    });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "promptloop-first-run-"));
    try {
      const model = path.resolve(options.model);
      // Other work on the machine stretches every wall time below; say how busy it was.
      const loadBefore = os.loadavg()[0]!;
      const start = await timeFirstAnswer(dir, model);
      const errors = await mistakes(dir, model);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ cores: os.availableParallelism(), loadBefore, start, mistakes: errors }, null, 2)}\n`,
        );
        return;
      }
      const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
      const lines = [
        `model ${start.model} (${os.availableParallelism()} cores, load average ${loadBefore.toFixed(1)} at the start)`,
        `ready lines after ${seconds(start.readyMs)} (the server had used ${start.readyCpuSeconds ?? "?"} CPU seconds):`,
        ...start.readyLines.map((line) => `  ${line}`),
        `first sentiment answer after ${seconds(start.firstSentimentMs)}: ${JSON.stringify(start.sentiment)}`,
        `first chat token after ${seconds(start.firstChatTokenMs)}, reply done after ${seconds(start.chatDoneMs)}`,
        "",
        "| mistake | exit | time | message |",
        "| --- | --- | --- | --- |",
        ...errors.map(
          (error) =>
            `| ${error.mistake} | ${error.exitCode} | ${seconds(error.ms)} | ${error.stderr.replaceAll("\n", "<br>").replaceAll("|", "\\|")} |`,
        ),
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

await program.parseAsync(process.argv);
