import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { parseEventStream, startTestApp } from "../support/test-app.js";

let app: App;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe("POST /api/sentiment", () => {
  it("returns one of the task's labels with a probability, and stores the interaction", async () => {
    const texts = ["这家酒店很干净，服务也好", "太差了，再也不来了", "还行吧", "😀 great!", "a"];
    for (const text of texts) {
      const res = await app.server.inject({
        method: "POST",
        url: "/api/sentiment",
        payload: { text, sessionId: "u1" },
      });
      expect(res.statusCode).toBe(200);
      const body = res.json<{
        interactionId: string;
        label: string;
        confidence: number;
        promptVersion: string;
      }>();
      expect(["正面", "负面"]).toContain(body.label);
      expect(body.confidence).toBeGreaterThan(0);
      expect(body.confidence).toBeLessThanOrEqual(1);
      expect(body.promptVersion).toBe("sentiment@v1");
      const stored = await app.database.db
        .selectFrom("interactions")
        .selectAll()
        .where("id", "=", body.interactionId)
        .executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ task: "sentiment", label: body.label, input: text, status: "ok" });
      expect(stored.session_hash).toMatch(/^[0-9a-f]{32}$/);
      expect(stored.session_hash).not.toContain("u1");
    }
  });

  it("masks personal data in the stored input but not in the model's view", async () => {
    const res = await app.server.inject({
      method: "POST",
      url: "/api/sentiment",
      payload: { text: "联系我 13812345678 或 a.b@example.com，房间很好" },
    });
    const { interactionId } = res.json<{ interactionId: string }>();
    const stored = await app.database.db
      .selectFrom("interactions")
      .select("input")
      .where("id", "=", interactionId)
      .executeTakeFirstOrThrow();
    expect(stored.input).toBe("联系我 [phone] 或 [email]，房间很好");
  });
});

describe("POST /api/chat", () => {
  it("streams tokens and ends with the interaction id and prompt version", async () => {
    const res = await app.server.inject({
      method: "POST",
      url: "/api/chat",
      payload: { messages: [{ role: "user", content: "你好" }], sessionId: "u1" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/event-stream");
    const events = parseEventStream(res.body);
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    const tokens = events.filter((e) => e.event === "token").map((e) => (e.data as { text: string }).text);
    expect(tokens.length).toBeGreaterThan(0);
    const final = done.data as { interactionId: string; promptVersion: string; reply: string };
    expect(final.promptVersion).toBe("chat@v1");
    expect(final.reply).toBe(tokens.join(""));
    const stored = await app.database.db
      .selectFrom("interactions")
      .selectAll()
      .where("id", "=", final.interactionId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ task: "chat", output: final.reply, status: "ok", input: "你好" });
  });

  it("answers JSON with stream: false, bounded by MAX_REPLY_TOKENS", async () => {
    const res = await app.server.inject({
      method: "POST",
      url: "/api/chat",
      payload: {
        messages: [
          { role: "user", content: "你好" },
          { role: "assistant", content: "你好！" },
          { role: "user", content: "今天天气怎么样" },
        ],
        stream: false,
      },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      reply: string;
      promptVersion: string;
      finishReason: string;
      usage: { promptTokens: number; completionTokens: number };
    }>();
    expect(body.promptVersion).toBe("chat@v1");
    expect(body.usage.completionTokens).toBeGreaterThan(0);
    expect(body.usage.completionTokens).toBeLessThanOrEqual(24);
    if (body.finishReason === "length") expect(body.usage.completionTokens).toBe(24);
    // The earlier turns are part of the prompt.
    expect(body.usage.promptTokens).toBeGreaterThan(app.backend.countTokens("你好今天天气怎么样"));
  });
});

describe("POST /api/analyze", () => {
  it("streams the sentiment first, then the reply, as two linked interactions", async () => {
    const res = await app.server.inject({
      method: "POST",
      url: "/api/analyze",
      payload: { text: "这个结果真是令人失望，不过还能接受", sessionId: "u2" },
    });
    expect(res.statusCode).toBe(200);
    const events = parseEventStream(res.body);
    expect(events[0]!.event).toBe("sentiment");
    expect(events.at(-1)!.event).toBe("done");
    const sentiment = events[0]!.data as { interactionId: string; label: string };
    const done = events.at(-1)!.data as { interactionId: string };
    const reply = await app.database.db
      .selectFrom("interactions")
      .selectAll()
      .where("id", "=", done.interactionId)
      .executeTakeFirstOrThrow();
    expect(reply.parent_id).toBe(sentiment.interactionId);
    expect(reply.task).toBe("chat");
  });

  it("answers JSON with stream: false", async () => {
    const res = await app.server.inject({
      method: "POST",
      url: "/api/analyze",
      payload: {
        text: "服务很周到",
        stream: false,
        history: [
          { role: "user", content: "你好" },
          { role: "assistant", content: "嗨" },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      sentiment: { label: string };
      reply: { reply: string; promptVersion: string };
    }>();
    expect(["正面", "负面"]).toContain(body.sentiment.label);
    expect(body.reply.promptVersion).toBe("chat@v1");
  });
});
