import { afterAll, beforeAll, expect, it } from "vitest";
import { FakeLlmBackend } from "../../src/engine/fake-llm-backend.js";
import type { App } from "../../src/server/create-app.js";
import { startTestApp } from "../support/test-app.js";

/**
 * Issue 17 follow-up: once the service has measured how long a reply holds its sequence, a reply that would wait
 * longer than QUEUE_TIMEOUT_MS is refused at admission instead of waiting the timeout out. Two sequences (one kept
 * for classifications), a 3 s queue timeout, replies of 40 tokens × 150 ms: each holds its sequence about 6 s.
 */
const queueTimeoutMs = 3_000;
let app: App;
let base: string;
beforeAll(async () => {
  app = await startTestApp(
    { MAX_QUEUED_REQUESTS: 4, QUEUE_TIMEOUT_MS: queueTimeoutMs },
    { backend: new FakeLlmBackend({ reply: () => "一".repeat(40), delayMs: 150, info: { sequences: 2 } }) },
  );
  await app.server.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.server.address();
  if (address === null || typeof address === "string") throw new Error("not listening on TCP");
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => app.close());

async function timed(path: string, body: object) {
  const sent = performance.now();
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    retryAfter: Number(response.headers.get("retry-after")),
    body: (await response.json()) as { error?: { code: string; message: string } },
    ms: performance.now() - sent,
  };
}

const chat = () => timed("/api/chat", { messages: [{ role: "user", content: "你好" }], stream: false });

interface HealthEngine {
  engine: {
    admission: {
      serviceTime: Record<"classify" | "generate" | "background", { ms: number | null; samples: number }>;
      expectedWaitMs: { classify: number | null; generate: number | null };
      refused: { queueFull: number; expectedWait: number; waitTimeout: number };
    };
  };
}
const health = async () => (await (await fetch(`${base}/api/health`)).json()) as HealthEngine;

it("refuses at once a reply that would wait longer than the queue timeout, once a reply was measured", async () => {
  // Nothing measured yet: health says so, and the first reply is served as before.
  expect((await health()).engine.admission.serviceTime.generate).toEqual({ ms: null, samples: 0 });
  expect((await chat()).status).toBe(200);
  const measured = (await health()).engine.admission.serviceTime.generate;
  expect(measured.samples).toBe(1);
  expect(measured.ms).toBeGreaterThan(queueTimeoutMs);

  const running = chat();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const refused = await chat();
  expect(refused.status).toBe(503);
  expect(refused.body.error?.code).toBe("ENGINE_BUSY");
  expect(refused.body.error?.message).toMatch(/expected to be free/);
  // Well under the 3 s it would have waited before (the machine may be busy: a bound, not a timing).
  expect(refused.ms).toBeLessThan(queueTimeoutMs / 3);
  // Retry-After says when the running reply should be done: more than the timeout, at most its hold time.
  expect(refused.retryAfter).toBeGreaterThanOrEqual(queueTimeoutMs / 1000);
  expect(refused.retryAfter).toBeLessThanOrEqual(Math.ceil(measured.ms! / 1000));

  // The sequence kept for classifications still serves one at once.
  const sentiment = await timed("/api/sentiment", { text: "很好" });
  expect(sentiment.status).toBe(200);
  expect((await running).status).toBe(200);
  const { admission } = (await health()).engine;
  expect(admission.refused).toEqual({ queueFull: 0, expectedWait: 1, waitTimeout: 0 });
  expect(admission.serviceTime.classify.samples).toBe(1);
  expect(admission.expectedWaitMs.generate).toBe(0);
}, 60_000);
