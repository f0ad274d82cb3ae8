import { afterAll, beforeAll, expect, it } from "vitest";
import { FakeLlmBackend } from "../../src/engine/fake-llm-backend.js";
import type { App } from "../../src/server/create-app.js";
import { adminHeaders, listenOnFreePort, parseEventStream, startTestApp } from "../support/test-app.js";

/**
 * The playground shares the engine's admission queue with live requests. A slow scripted model (the tiny GGUF
 * answers too fast to hold a sequence) keeps the one reply sequence busy; no request may queue.
 */
let app: App;
let base: string;
beforeAll(async () => {
  app = await startTestApp(
    { ANALYSIS_CRON: "", MAX_QUEUED_REQUESTS: 0 },
    { backend: new FakeLlmBackend({ reply: () => "一".repeat(40), delayMs: 50, info: { sequences: 2 } }) },
  );
  base = await listenOnFreePort(app);
});
afterAll(() => app.close());

const post = (path: string, body: object, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

it("answers 503 ENGINE_BUSY (or an error event when streaming) while live replies hold the engine", async () => {
  const live = post("/api/chat", { messages: [{ role: "user", content: "你好" }], stream: false });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const body = { versionId: "chat@v1", inputs: [{ input: "你好" }] };

  const refused = await post("/api/admin/playground/runs", body, adminHeaders);
  expect(refused.status).toBe(503);
  expect(refused.headers.get("retry-after")).not.toBeNull();
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("ENGINE_BUSY");

  const streamed = await post("/api/admin/playground/runs", { ...body, stream: true }, adminHeaders);
  const events = parseEventStream(await streamed.text());
  expect(events.map((event) => event.event)).toEqual(["start", "error"]);
  expect(events[1]!.data).toMatchObject({ error: { code: "ENGINE_BUSY" } });

  expect((await live).status).toBe(200);
  // Once the live reply is done, the same run goes through (cut at the test app's MAX_REPLY_TOKENS).
  const served = await post("/api/admin/playground/runs", body, adminHeaders);
  expect(served.status).toBe(200);
  const result = (await served.json()) as { rows: { candidate: { reply: string } }[] };
  expect(result.rows[0]!.candidate.reply).toMatch(/^一{1,40}$/);
});
