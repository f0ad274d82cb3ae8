import { afterAll, beforeAll, expect, it } from "vitest";
import { FakeLlmBackend } from "../../src/engine/fake-llm-backend.js";
import type { App } from "../../src/server/create-app.js";
import { startTestApp } from "../support/test-app.js";

/**
 * Issue 17 item 2: a bounded queue in front of the model. Two sequences, one of them kept for classifications;
 * one reply may wait. Beyond that, model routes answer 503 ENGINE_BUSY with Retry-After at once, and a
 * classification is served while replies hold the other sequence.
 */
let app: App;
let base: string;
beforeAll(async () => {
  app = await startTestApp(
    { MAX_QUEUED_REQUESTS: 1, QUEUE_TIMEOUT_MS: 30_000 },
    {
      // 40 tokens × 50 ms: each reply holds its sequence for about two seconds.
      backend: new FakeLlmBackend({ reply: () => "一".repeat(40), delayMs: 50, info: { sequences: 2 } }),
    },
  );
  await app.server.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.server.address();
  if (address === null || typeof address === "string") throw new Error("not listening on TCP");
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => app.close());

const post = (path: string, body: object) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

it("refuses replies beyond the queue at once with 503 ENGINE_BUSY and Retry-After, and still classifies", async () => {
  const chat = () => {
    const sent = performance.now();
    return post("/api/chat", { messages: [{ role: "user", content: "你好" }], stream: false }).then(
      async (response) => ({
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
        body: (await response.json()) as { error?: { code: string; message: string } },
        ms: performance.now() - sent,
      }),
    );
  };
  const chats = [chat(), chat(), chat(), chat()];
  await new Promise((resolve) => setTimeout(resolve, 200));
  const sentimentSent = performance.now();
  const sentiment = await post("/api/sentiment", { text: "很好" });
  const sentimentMs = performance.now() - sentimentSent;
  expect(sentiment.status).toBe(200);
  // Served on the reserved sequence while a reply runs and another waits: one classification (50 ms), not a reply.
  expect(sentimentMs).toBeLessThan(1500);

  const results = await Promise.all(chats);
  const served = results.filter((r) => r.status === 200);
  const refused = results.filter((r) => r.status === 503);
  expect(served).toHaveLength(2);
  expect(refused).toHaveLength(2);
  for (const r of refused) {
    expect(r.body.error?.code).toBe("ENGINE_BUSY");
    expect(r.body.error?.message).toMatch(/busy/);
    expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
    // Refused without waiting for a sequence (a reply takes about two seconds; the machine may be busy).
    expect(r.ms).toBeLessThan(1000);
  }
  // A refusal ran nothing, so it stored nothing: only the served replies are interactions.
  const rows = await app.database.db
    .selectFrom("interactions")
    .select(["status"])
    .where("task", "=", "chat")
    .execute();
  expect(rows.map((row) => row.status)).toEqual(["ok", "ok"]);
  expect(app.admission?.stats().refused.queueFull).toBe(2);
}, 60_000);
