import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { startTestApp } from "../support/test-app.js";

/**
 * /v1's `user` is an id the API-key holder's backend asserts ("user-123", an e-mail), not a secret: it must not open
 * the public /api routes that take a sessionId as the proof of ownership. Before, /v1's user and /api's sessionId
 * were one name space, so `GET /api/memory?sessionId=user-123` — no key needed — listed what the chat remembered
 * about that API user (name, diet, …), and the DELETE routes erased it.
 */
const apiKey = "test-api-key-0123456789";
let app: App;
beforeAll(async () => {
  app = await startTestApp({ API_KEYS: apiKey, MEMORY: "on" });
});
afterAll(() => app.close());

async function v1Chat(user: string, content: string) {
  const res = await app.server.inject({
    method: "POST",
    url: "/v1/chat/completions",
    headers: { authorization: `Bearer ${apiKey}` },
    payload: { model: "promptloop/chat", user, max_tokens: 4, messages: [{ role: "user", content }] },
  });
  expect(res.statusCode).toBe(200);
  return res.json<{ id: string; promptloop: { feedbackToken: string } }>();
}

describe("an OpenAI API user's identity", () => {
  it("keeps its memory out of reach of the public /api routes", async () => {
    const completion = await v1Chat("user-123", "以后请叫我小王，我是素食者");
    // The API user does have a memory: it is kept under the unit of the stored interaction.
    const stored = await app.stores.interactions.get(completion.id);
    const remembered = await app.stores.memory.list(stored!.sessionHash!, Date.now());
    expect(remembered.map((entry) => entry.text).join(" ")).toContain("小王");

    const read = await app.server.inject({ url: "/api/memory?sessionId=user-123" });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ entries: [] });
    expect(read.body).not.toContain("小王");
    const erased = await app.server.inject({ method: "DELETE", url: "/api/memory?sessionId=user-123" });
    expect(erased.json()).toEqual({ deleted: 0 });
    expect(await app.stores.memory.list(stored!.sessionHash!, Date.now())).toHaveLength(remembered.length);
  });

  it("takes feedback naming the same user as sessionId, as docs/openai-api.md says", async () => {
    const completion = await v1Chat("user-456", "你好");
    const feedback = async (sessionId: string) =>
      app.server.inject({
        method: "POST",
        url: "/api/feedback",
        payload: {
          interactionId: completion.id,
          feedbackToken: completion.promptloop.feedbackToken,
          sessionId,
          type: "rating",
          score: 4,
        },
      });
    expect((await feedback("user-456")).statusCode).toBe(202);
    expect((await feedback("user-789")).json()).toMatchObject({ error: { code: "FEEDBACK_FORBIDDEN" } });
  });

  it.each([
    ["GET", "/api/memory?sessionId=%00openai%00user-123"],
    ["DELETE", "/api/memory?sessionId=a%0Ab"],
  ] as const)("refuses control characters in a public sessionId (%s %s)", async (method, url) => {
    const res = await app.server.inject({ method, url });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
  });

  it("refuses control characters in the sessionId of the model routes and feedback", async () => {
    for (const [url, payload] of [
      ["/api/sentiment", { text: "好", sessionId: "\u0000openai\u0000user-123" }],
      ["/api/chat", { messages: [{ role: "user", content: "你好" }], stream: false, sessionId: "x\u0007" }],
      ["/api/feedback", { interactionId: "x", type: "exit", feedbackToken: "t", sessionId: "\u001f" }],
    ] as const) {
      const res = await app.server.inject({ method: "POST", url, payload });
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
    }
  });
});
