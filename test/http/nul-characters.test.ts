import { afterAll, beforeAll, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";

/**
 * A NUL character is valid JSON ("\u0000") and valid in SQLite text, but PostgreSQL's text columns can't hold it.
 * Before, on PostgreSQL a message with a NUL got 503 STORAGE_FAILED "retry" (a retry fails the same way) after the
 * model had run, and a triage search for it failed too. Runs on both databases (`npm run test:postgres` includes
 * test/http).
 */
let app: App;
beforeAll(async () => {
  app = await startTestApp({ MEMORY: "on" });
});
afterAll(() => app.close());

const nul = "\u0000";

it("answers and records a classification whose text holds a NUL", async () => {
  const res = await app.server.inject({
    method: "POST",
    url: "/api/sentiment",
    payload: { text: `好${nul}吃`, sessionId: "nul-session-1" },
  });
  expect(res.statusCode).toBe(200);
  const stored = await app.stores.interactions.get(res.json<{ interactionId: string }>().interactionId);
  expect(stored?.input).toMatch(/^好.吃$/u);
});

it("answers and records a chat turn, and its memory, when the message holds a NUL", async () => {
  const res = await app.server.inject({
    method: "POST",
    url: "/api/chat",
    payload: {
      messages: [{ role: "user", content: `以后请叫我小${nul}王` }],
      stream: false,
      sessionId: "nul-2",
    },
  });
  expect(res.statusCode).toBe(200);
  const memory = await app.server.inject({ url: "/api/memory?sessionId=nul-2" });
  expect(memory.json<{ entries: Array<{ text: string }> }>().entries[0]?.text).toMatch(/小.王/u);
});

it("searches the triage list for text with a NUL without failing", async () => {
  const res = await app.server.inject({
    url: `/api/admin/misclassifications?q=${encodeURIComponent(`a${nul}b`)}`,
    headers: adminHeaders,
  });
  expect(res.statusCode).toBe(200);
});
