import { afterAll, beforeAll, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { describeWithLlamaServer } from "../support/llama-server/describe-with-llama-server.js";
import type { LlamaServerProcess } from "../support/llama-server/llama-server-process.js";
import { startTinyLlamaServer } from "../support/llama-server/tiny-llama-server.js";
import { parseEventStream, startTestApp } from "../support/test-app.js";

// The whole service with LLM_BASE_URL set: configuration, composition root, routes and storage on a real
// llama-server, including the server going away under it and coming back.
describeWithLlamaServer("the service with LLM_BASE_URL on a real llama-server", (binary) => {
  let server: LlamaServerProcess;
  let app: App;
  const post = (url: string, payload: Record<string, unknown>) =>
    app.server.inject({ method: "POST", url, payload });
  const health = async () => (await app.server.inject({ method: "GET", url: "/api/health" })).json();

  beforeAll(async () => {
    server = await startTinyLlamaServer(binary);
    app = await startTestApp({
      LLM_BASE_URL: `${server.baseUrl}/v1`,
      LLM_MODEL: "tiny",
      LLM_TIMEOUT_MS: 5000,
    });
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  it("serves classifications and chat from the server, and says which backend in /api/health", async () => {
    expect(await health()).toMatchObject({
      status: "ok",
      model: { backend: "remote", name: expect.stringContaining("tiny") },
      engine: { dialect: "llama-server", classifyMode: "token-logprobs", circuit: "closed", model: "tiny" },
    });
    const sentiment = await post("/api/sentiment", { text: "这家酒店很好" });
    expect(sentiment.statusCode).toBe(200);
    const body = sentiment.json<{ label: string; confidence: number }>();
    expect(["正面", "负面"]).toContain(body.label);
    expect(body.confidence).toBeGreaterThanOrEqual(0.5);

    const streamed = await post("/api/chat", { messages: [{ role: "user", content: "你好" }] });
    const events = parseEventStream(streamed.body);
    expect(events.at(-1)).toMatchObject({
      event: "done",
      data: { usage: { completionTokens: expect.any(Number) } },
    });
    expect(events.slice(0, -1).every((e) => e.event === "token")).toBe(true);
  });

  it("answers 503 ENGINE_UNAVAILABLE quickly while the server is down, records the failures, and recovers", async () => {
    const ok = (await post("/api/sentiment", { text: "早餐不错" })).json<{
      interactionId: string;
      feedbackToken: string;
    }>();
    await server.stop();
    for (let i = 0; i < 6; i++) {
      const started = performance.now();
      const failed = await post("/api/sentiment", { text: `房间太差了 ${i}` });
      expect(performance.now() - started).toBeLessThan(3000);
      expect(failed.statusCode).toBe(503);
      expect(failed.json()).toMatchObject({ error: { code: "ENGINE_UNAVAILABLE" } });
    }
    expect(await health()).toMatchObject({ status: "degraded", engine: { circuit: "open" } });
    // Feedback doesn't need the model.
    const exit = { interactionId: ok.interactionId, feedbackToken: ok.feedbackToken, type: "exit" };
    expect((await post("/api/feedback", exit)).statusCode).toBe(202);
    const rows = await app.database.db.selectFrom("interactions").select(["status", "error_code"]).execute();
    expect(rows.filter((r) => r.status === "error").map((r) => r.error_code)).toEqual(
      Array.from({ length: 6 }, () => "ENGINE_UNAVAILABLE"),
    );

    server = await startTinyLlamaServer(binary, { port: server.port });
    // The circuit lets a trial call through 5 s after it opened.
    await new Promise((resolve) => setTimeout(resolve, 5200));
    expect((await post("/api/sentiment", { text: "恢复了" })).statusCode).toBe(200);
    expect(await health()).toMatchObject({ status: "ok", engine: { circuit: "closed" } });
  });
});
