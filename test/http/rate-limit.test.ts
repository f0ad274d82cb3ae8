import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { startTestApp } from "../support/test-app.js";

let app: App;

beforeAll(async () => {
  app = await startTestApp({ RATE_LIMIT_PER_MINUTE: 3 });
});
afterAll(() => app.close());

const from = (remoteAddress: string, url: string, payload: unknown) =>
  app.server.inject({ method: "POST", url, payload: payload as Record<string, unknown>, remoteAddress });

describe("RATE_LIMIT_PER_MINUTE", () => {
  it("limits model-backed requests per address, across the model routes, and never feedback", async () => {
    const first = await from("10.0.0.1", "/api/sentiment", { text: "房间干净" });
    expect(first.statusCode).toBe(200);
    const { interactionId, feedbackToken } = first.json<{ interactionId: string; feedbackToken: string }>();
    expect((await from("10.0.0.1", "/api/sentiment", { text: "早餐一般" })).statusCode).toBe(200);
    // Chat shares the budget: the model is one resource.
    const chat = await from("10.0.0.1", "/api/chat", { messages: [{ role: "user", content: "你好" }] });
    expect(chat.statusCode).toBe(200);

    const limited = await from("10.0.0.1", "/api/sentiment", { text: "太吵了" });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({
      error: { code: "RATE_LIMITED", details: { limitPerMinute: 3 } },
    });
    expect(limited.json<{ error: { message: string } }>().error.message).toMatch(/at most 3 a minute/);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect((await from("10.0.0.1", "/api/analyze", { text: "还行", stream: false })).statusCode).toBe(429);

    // Feedback from the limited address is still taken, and stored: it has its own budget.
    const feedback = await from("10.0.0.1", "/api/feedback", {
      interactionId,
      feedbackToken,
      type: "label_confirm",
      correct: true,
    });
    expect(feedback.statusCode).toBeLessThan(300);
    // Other addresses and the cheap routes are not affected.
    expect((await from("10.0.0.2", "/api/sentiment", { text: "房间干净" })).statusCode).toBe(200);
    const health = await app.server.inject({ method: "GET", url: "/api/health", remoteAddress: "10.0.0.1" });
    expect(health.statusCode).toBe(200);
  });

  it("is off with 0", async () => {
    const unlimited = await startTestApp({ RATE_LIMIT_PER_MINUTE: 0 });
    try {
      for (let i = 0; i < 4; i++) {
        const res = await unlimited.server.inject({
          method: "POST",
          url: "/api/sentiment",
          payload: { text: `第${i}条` },
          remoteAddress: "10.0.0.9",
        });
        expect(res.statusCode).toBe(200);
      }
    } finally {
      await unlimited.close();
    }
  });
});

describe("TRUST_PROXY", () => {
  const sentimentVia = (target: App, forwardedFor: string) =>
    target.server.inject({
      method: "POST",
      url: "/api/sentiment",
      payload: { text: "房间干净" },
      remoteAddress: "127.0.0.1",
      headers: { "x-forwarded-for": forwardedFor },
    });

  it("counts clients behind a trusted proxy by their forwarded address, and ignores the header otherwise", async () => {
    const behindProxy = await startTestApp({ RATE_LIMIT_PER_MINUTE: 1, TRUST_PROXY: "127.0.0.1" });
    const direct = await startTestApp({ RATE_LIMIT_PER_MINUTE: 1 });
    try {
      expect((await sentimentVia(behindProxy, "203.0.113.1")).statusCode).toBe(200);
      expect((await sentimentVia(behindProxy, "203.0.113.2")).statusCode).toBe(200);
      expect((await sentimentVia(behindProxy, "203.0.113.1")).statusCode).toBe(429);
      // Not trusted: the header could be forged, so every request counts against the socket's address.
      expect((await sentimentVia(direct, "203.0.113.1")).statusCode).toBe(200);
      expect((await sentimentVia(direct, "203.0.113.2")).statusCode).toBe(429);
    } finally {
      await behindProxy.close();
      await direct.close();
    }
  });
});

describe("OpenAPI", () => {
  it("documents the 429 on the model routes and feedback (its own budget)", async () => {
    const spec = (await app.server.inject({ method: "GET", url: "/docs/json" })).json<{
      paths: Record<string, { post?: { responses: Record<string, unknown> } }>;
    }>();
    for (const route of ["/api/sentiment", "/api/chat", "/api/analyze"]) {
      expect(Object.keys(spec.paths[route]!.post!.responses)).toContain("429");
    }
    expect(Object.keys(spec.paths["/api/feedback"]!.post!.responses)).toContain("429");
  });
});
