import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { defaultModelUri } from "./engine/local/published-model.js";

function captureError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("loadConfig", () => {
  it("has the documented defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      modelPath: defaultModelUri,
      modelsDir: path.resolve("./models"),
      host: "127.0.0.1",
      port: 8080,
      dataDir: path.resolve("./data"),
      adminToken: undefined,
      maxInputChars: 4000,
      rateLimitPerMinute: 120,
      trustProxy: false,
      analysisCron: "0 3 * * *",
    });
    expect(config.threads).toBe(os.availableParallelism());
  });

  it("reads API_KEYS as a list and refuses a key shorter than 16 characters", () => {
    expect(loadConfig({}).apiKeys).toEqual([]);
    expect(loadConfig({ API_KEYS: " key-one-0123456789abc, ,key-two-0123456789abc" }).apiKeys).toEqual([
      "key-one-0123456789abc",
      "key-two-0123456789abc",
    ]);
    expect(() => loadConfig({ API_KEYS: "key-one-0123456789abc,short" })).toThrow(/API_KEYS/);
  });

  it("selects a remote model server with LLM_BASE_URL, and refuses a URL that isn't http(s)", () => {
    expect(loadConfig({}).remoteModel).toBeUndefined();
    const config = loadConfig({
      LLM_BASE_URL: "http://127.0.0.1:8081/v1",
      LLM_API_KEY: "sk-1",
      LLM_MODEL: "qwen",
    });
    expect(config.remoteModel).toEqual({
      baseUrl: "http://127.0.0.1:8081/v1",
      apiKey: "sk-1",
      model: "qwen",
      timeoutMs: 30_000,
    });
    for (const bad of ["127.0.0.1:8081", "ftp://host/v1", "not a url"]) {
      expect(() => loadConfig({ LLM_BASE_URL: bad })).toThrow(/LLM_BASE_URL/);
    }
  });

  it("reads the environment, and explicit overrides beat it", () => {
    const config = loadConfig({ PORT: "9000", HOST: "0.0.0.0", MAX_INPUT_CHARS: "100" }, { PORT: 9100 });
    expect(config).toMatchObject({ port: 9100, host: "0.0.0.0", maxInputChars: 100 });
  });

  it.each([
    ["", false],
    ["false", false],
    ["true", true],
    ["127.0.0.1", ["127.0.0.1"]],
    [" 127.0.0.1, 10.0.0.0/8 ,", ["127.0.0.1", "10.0.0.0/8"]],
  ])("reads TRUST_PROXY=%j as %j", (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it("reads named operator tokens and names every bad ADMIN_TOKENS entry", () => {
    const config = loadConfig({
      ADMIN_TOKENS: "alice:aaaaaaaaaaaaaaaa1, bob:bbbbbbbbbbbbbbbb:2",
      SESSION_TTL_HOURS: "2",
    });
    expect(config.adminTokens).toEqual([
      { name: "alice", token: "aaaaaaaaaaaaaaaa1" },
      { name: "bob", token: "bbbbbbbbbbbbbbbb:2" },
    ]);
    expect(config.sessionTtlMs).toBe(2 * 3_600_000);
    expect(loadConfig({}).adminTokens).toEqual([]);
    expect(() => loadConfig({ ADMIN_TOKENS: "alice:short,nocolon,alice:cccccccccccccccc" })).toThrow(
      /entry 1 \(alice\): the token must be at least 16[\s\S]*entry 2 is not name:token/,
    );
    expect(() =>
      loadConfig({ ADMIN_TOKEN: "dddddddddddddddd", ADMIN_TOKENS: "admin:eeeeeeeeeeeeeeee" }),
    ).toThrow(/repeats ADMIN_TOKEN/);
  });

  it("treats an empty ADMIN_TOKEN as unset and refuses a short one", () => {
    expect(loadConfig({ ADMIN_TOKEN: "" }).adminToken).toBeUndefined();
    expect(captureError(() => loadConfig({ ADMIN_TOKEN: "abc12" })).message).toBe(
      "ADMIN_TOKEN (5 characters): too short: use at least 16 random characters (e.g. `openssl rand -hex 24`), " +
        "or leave it empty to turn the admin routes off",
    );
  });

  it("refuses an ADMIN_TOKEN no client can send, without printing it", () => {
    for (const token of ["secret token with spaces", "trailing-newline-token\n", "tökén-with-accents-1234"]) {
      const error = captureError(() => loadConfig({ ADMIN_TOKEN: token }));
      expect(error.message).toMatch(
        /^ADMIN_TOKEN \(\d+ characters\): may only hold visible ASCII characters/,
      );
      expect(error.message).not.toContain(token.trim());
    }
  });

  it("names the variable, the value and the problem in one line each", () => {
    const error = captureError(() =>
      loadConfig({ PORT: "http", THREADS: "1.5", ANALYSIS_HOLDOUT_FRACTION: "1", LOG_LEVEL: "loud" }),
    );
    expect(error.message.split("\n")).toEqual([
      'PORT="http": expected a number',
      'THREADS="1.5": expected a whole number',
      'LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent',
      'ANALYSIS_HOLDOUT_FRACTION="1": must be below 1',
    ]);
  });

  it("never uses more threads than cores", () => {
    expect(loadConfig({ THREADS: "256" }).threads).toBe(os.availableParallelism());
  });

  it("names every invalid variable at once", () => {
    expect(() => loadConfig({ PORT: "http", CONTEXT_SIZE: "12", LOG_LEVEL: "loud" })).toThrow(
      /PORT[\s\S]*CONTEXT_SIZE[\s\S]*LOG_LEVEL/,
    );
  });
});
