import { execFile, spawn } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/config.js";
import { createTinyQwen2Gguf } from "../support/gguf/tiny-qwen2.js";

/**
 * `promptloop serve` (the built CLI, as a user runs it) on start-up mistakes: each stops before the model loads,
 * within 2 s, with exactly one line on stderr that names the variable to change.
 */
const bin = path.join(packageRoot, "bin", "promptloop.js");
let dir: string;
let model: string;

beforeAll(async () => {
  await fs.access(path.join(packageRoot, "dist", "cli", "main.js")).catch(() => {
    throw new Error("dist/ is missing: run `npm run build:server` (npm test does it) before the CLI tests");
  });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "promptloop-start-"));
  model = await createTinyQwen2Gguf();
});

/** Runs `serve` with a valid setup (the tiny model, a fresh data folder) changed by `env`. */
function serve(env: Record<string, string>) {
  const started = Date.now();
  return new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) => {
    execFile(
      process.execPath,
      [bin, "serve"],
      {
        env: {
          PATH: process.env.PATH ?? "",
          MODEL_PATH: model,
          DATA_DIR: path.join(dir, `data-${Math.random().toString(36).slice(2)}`),
          PROMPTS_DIR: path.join(packageRoot, "prompts"),
          ...env,
        },
        timeout: 30_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr, ms: Date.now() - started }),
    );
  });
}

async function occupiedPort(): Promise<{ port: number; close: () => void }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

// Each case takes about 0.3 s of CPU; on a busy 2-core machine the wall time can exceed 2 s now and then, so a case
// is retried (a case that is slow every time still fails).
describe("serve stops on a start-up mistake before the model loads, in one line", { retry: 2 }, () => {
  it("a port in use", async () => {
    const taken = await occupiedPort();
    const result = await serve({ PORT: String(taken.port) });
    taken.close();
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toBe(
      `promptloop: PORT=${taken.port} is already in use on 127.0.0.1: stop what is listening there, or set PORT to a free port\n`,
    );
    expect(result.ms).toBeLessThan(2000);
  });

  it("a missing model file", async () => {
    const missing = path.join(dir, "missing.gguf");
    const result = await serve({ MODEL_PATH: missing });
    expect(result).toMatchObject({ code: 3, stdout: "" });
    expect(result.stderr).toBe(
      `promptloop: MODEL_PATH=${missing} does not exist: set MODEL_PATH to a .gguf file, or unset it to download Qwen1.5-0.5B-Chat\n`,
    );
    expect(result.ms).toBeLessThan(2000);
  });

  it.each([
    [
      "GGUF this is not really a model",
      "is damaged (its GGUF header says version 1768453152; llama.cpp reads 2 and 3): download it again",
    ],
    ["GGUF", "is damaged (its GGUF header is cut short; llama.cpp reads 2 and 3): download it again"],
    [
      "version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1\n",
      "is a Git LFS pointer, not the model: run `git lfs pull`",
    ],
    ["<!DOCTYPE html><html>", "is a web page, not a model: download the .gguf file itself"],
  ])("a corrupt model file (%j)", async (content, problem) => {
    const corrupt = path.join(dir, `corrupt-${content.length}.gguf`);
    await fs.writeFile(corrupt, content);
    const result = await serve({ MODEL_PATH: corrupt });
    expect(result).toMatchObject({ code: 3, stdout: "" });
    expect(result.stderr).toBe(`promptloop: MODEL_PATH=${corrupt} ${problem}\n`);
    expect(result.ms).toBeLessThan(2000);
  });

  it.each([
    [
      "abc12",
      "ADMIN_TOKEN (5 characters): too short: use at least 16 random characters (e.g. `openssl rand -hex 24`), or leave it empty to turn the admin routes off",
    ],
    [
      "a long token with spaces",
      "ADMIN_TOKEN (24 characters): may only hold visible ASCII characters (no spaces, line breaks or accents): clients can't send others in an Authorization header",
    ],
  ])("a bad ADMIN_TOKEN (%j), never printed", async (token, line) => {
    const result = await serve({ ADMIN_TOKEN: token });
    expect(result).toMatchObject({ code: 2, stdout: "", stderr: `promptloop: ${line}\n` });
    expect(result.stderr).not.toContain(token);
    expect(result.ms).toBeLessThan(2000);
  });

  it("a data folder that can't be written", async () => {
    // A path below a regular file can't be created by anyone, root included (chmod doesn't stop root).
    const file = path.join(dir, "a-file");
    await fs.writeFile(file, "");
    const dataDir = path.join(file, "data");
    const result = await serve({ DATA_DIR: dataDir });
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toBe(
      `promptloop: DATA_DIR=${dataDir} is not writable (a part of the path is a file, not a folder): set DATA_DIR to a folder this user can write\n`,
    );
    expect(result.ms).toBeLessThan(2000);
  });
});

describe("serve, once started", () => {
  it("runs a documented MODEL_PRECISION found in MODELS_DIR and prints the chat, dashboard and docs URLs", async () => {
    // The file a download of MODEL_PRECISION=q4_k_m leaves in MODELS_DIR, standing in for the real weights.
    const modelsDir = await fs.mkdtemp(path.join(os.tmpdir(), "promptloop-models-"));
    const downloaded = path.join(modelsDir, "hf_Qwen_Qwen1.5-0.5B-Chat-GGUF_qwen1_5-0_5b-chat-q4_k_m.gguf");
    await fs.symlink(model, downloaded);
    const child = spawn(process.execPath, [bin, "serve"], {
      env: {
        PATH: process.env.PATH ?? "",
        MODEL_PRECISION: "Q4_K_M",
        MODELS_DIR: modelsDir,
        DATA_DIR: await fs.mkdtemp(path.join(os.tmpdir(), "promptloop-data-")),
        PROMPTS_DIR: path.join(packageRoot, "prompts"),
        PORT: "0",
        // A named operator's token alone turns the dashboard on, as ADMIN_TOKEN does.
        ADMIN_TOKENS: "ops:start-up-test-token-0123456789",
        THREADS: "1",
        CONTEXT_SIZE: "1024",
        SEQUENCES: "1",
        LOG_LEVEL: "warn",
        ANALYSIS_CRON: "",
      },
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (stderr.includes("API docs")) resolve();
        else if (child.exitCode !== null) reject(new Error(`serve exited: ${stderr}`));
      }, 100);
      exited.finally(() => clearInterval(check));
      setTimeout(() => clearInterval(check), 55_000);
    });
    try {
      expect(stderr).toContain(`promptloop: model: loading ${downloaded}\n`);
      const ready = stderr.slice(stderr.indexOf("promptloop: ready:")).trimEnd().split("\n");
      const port = /127\.0\.0\.1:(\d+)\//.exec(ready[1] ?? "")?.[1];
      const origin = `http://127.0.0.1:${port}`;
      expect(ready).toEqual([
        "promptloop: ready:",
        `promptloop:   chat       ${origin}/`,
        `promptloop:   dashboard  ${origin}/#/dashboard (sign in with an admin token)`,
        `promptloop:   API docs   ${origin}/docs`,
      ]);
      for (const url of [`${origin}/`, `${origin}/docs`]) {
        const response = await fetch(url);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toContain("text/html");
      }
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
