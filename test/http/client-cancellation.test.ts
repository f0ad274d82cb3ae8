import { afterAll, beforeAll, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { startTestApp } from "../support/test-app.js";

let app: App;
let base: string;
beforeAll(async () => {
  app = await startTestApp({ MAX_REPLY_TOKENS: 900, CONTEXT_SIZE: 1024, SEQUENCES: 1 });
  await app.server.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.server.address();
  if (address === null || typeof address === "string") throw new Error("not listening on TCP");
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => app.close());

it("stops generating when the client goes away, stores the partial reply as cancelled, and frees the sequence", async () => {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "讲一个很长的故事" }] }),
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  await reader.read();
  controller.abort();

  let row: { status: string; output: string | null } | undefined;
  for (let i = 0; i < 100 && !row; i++) {
    await new Promise((r) => setTimeout(r, 50));
    row = await app.database.db
      .selectFrom("interactions")
      .select(["status", "output"])
      .where("task", "=", "chat")
      .executeTakeFirst();
  }
  expect(row?.status).toBe("cancelled");
  expect(app.backend.countTokens(row!.output ?? "")).toBeLessThan(900);

  // With one sequence, a second request only succeeds if the cancelled one released it.
  const next = await fetch(`${base}/api/sentiment`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text: "好" }),
  });
  expect(next.status).toBe(200);
});
