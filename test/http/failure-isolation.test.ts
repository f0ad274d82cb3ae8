import { afterAll, beforeAll, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import type { LlmBackend } from "../../src/engine/llm-backend.js";
import { createLocalLlmBackend } from "../../src/engine/local/local-llm-backend.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";
import { createTokenBook } from "../support/token-book.js";
import { createTinyQwen2Gguf } from "../support/gguf/tiny-qwen2.js";

/** The real engine, with a switch that makes every model call fail as a crashed backend would. */
function breakableBackend(real: LlmBackend) {
  let broken = false;
  const fail = () => {
    throw new Error("simulated engine crash");
  };
  const backend: LlmBackend = {
    info: real.info,
    countTokens: (text) => real.countTokens(text),
    warmUp: (prefixes) => real.warmUp(prefixes),
    dispose: () => real.dispose(),
    classify: async (request) => (broken ? fail() : real.classify(request)),
    async *generate(request) {
      if (broken) fail();
      yield* real.generate(request);
    },
  };
  return { backend, setBroken: (value: boolean) => void (broken = value) };
}

let app: App;
let real: LlmBackend;
let switchable: ReturnType<typeof breakableBackend>;
beforeAll(async () => {
  real = await createLocalLlmBackend({
    modelFile: await createTinyQwen2Gguf(),
    threads: 1,
    contextSize: 512,
    sequences: 1,
  });
  switchable = breakableBackend(real);
  app = await startTestApp({}, { backend: switchable.backend });
});
afterAll(async () => {
  await app.close();
  await real.dispose();
});

const book = createTokenBook();
const post = async (url: string, payload: Record<string, unknown>) => {
  const response = await app.server.inject({
    method: "POST",
    url,
    payload: url === "/api/feedback" ? book.sign(payload) : payload,
  });
  if (String(response.headers["content-type"]).includes("json")) book.remember(response.json());
  return response;
};

it("a failing model answers 503, records the failed interaction, and loses no acknowledged feedback", async () => {
  const ok = (await post("/api/sentiment", { text: "很好" })).json<{ interactionId: string }>();
  const fb = await post("/api/feedback", {
    interactionId: ok.interactionId,
    type: "label_confirm",
    correct: true,
  });
  expect(fb.statusCode).toBe(202);

  switchable.setBroken(true);
  const failed = await post("/api/sentiment", { text: "很差" });
  expect(failed.statusCode).toBe(503);
  expect(failed.json()).toMatchObject({ error: { code: "ENGINE_FAILED" } });
  const chat = await post("/api/chat", { messages: [{ role: "user", content: "你好" }], stream: false });
  expect(chat.statusCode).toBe(503);
  // Feedback does not need the model.
  expect((await post("/api/feedback", { interactionId: ok.interactionId, type: "exit" })).statusCode).toBe(
    202,
  );
  switchable.setBroken(false);

  const rows = await app.database.db.selectFrom("interactions").select(["status", "error_code"]).execute();
  expect(rows.filter((r) => r.status === "error").map((r) => r.error_code)).toEqual([
    "ENGINE_FAILED",
    "ENGINE_FAILED",
  ]);
  expect(await app.database.db.selectFrom("feedback_events").select("type").execute()).toEqual([
    { type: "label_confirm" },
    { type: "exit" },
  ]);
  expect((await post("/api/sentiment", { text: "恢复了" })).statusCode).toBe(200);
});

it("a database that refuses writes answers 503 STORAGE_FAILED without acknowledging, and keeps what it had", async () => {
  const ok = (await post("/api/sentiment", { text: "好" })).json<{ interactionId: string }>();
  const before = await app.database.db.selectFrom("feedback_events").select("id").execute();

  app.database.sqlite!.pragma("query_only = ON");
  try {
    const refused = await post("/api/feedback", { interactionId: ok.interactionId, type: "copy" });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ error: { code: "STORAGE_FAILED" } });
    expect((await post("/api/sentiment", { text: "好" })).statusCode).toBe(503);
  } finally {
    app.database.sqlite!.pragma("query_only = OFF");
  }
  expect(await app.database.db.selectFrom("feedback_events").select("id").execute()).toEqual(before);
  const retried = await post("/api/feedback", { interactionId: ok.interactionId, type: "copy" });
  expect(retried.statusCode).toBe(202);
  const exported = await app.server.inject({
    method: "GET",
    url: "/api/admin/export",
    headers: adminHeaders,
  });
  expect(exported.body.trim().split("\n").length).toBe(
    (await app.database.db.selectFrom("interactions").select("id").execute()).length,
  );
});
