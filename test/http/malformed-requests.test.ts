import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";

let app: App;
let sentimentId: string;
let feedbackToken: string;
beforeAll(async () => {
  app = await startTestApp({ MAX_INPUT_CHARS: 200 });
  const res = await app.server.inject({ method: "POST", url: "/api/sentiment", payload: { text: "好" } });
  ({ interactionId: sentimentId, feedbackToken } = res.json<{
    interactionId: string;
    feedbackToken: string;
  }>());
});
afterAll(() => app.close());

const json = { "content-type": "application/json" };
type Case = [name: string, request: () => InjectOptions, status: number, code: string];

const cases: Case[] = [
  [
    "invalid JSON",
    () => ({ method: "POST", url: "/api/sentiment", headers: json, payload: '{"text": ' }),
    400,
    "INVALID_JSON",
  ],
  [
    "empty JSON body",
    () => ({ method: "POST", url: "/api/sentiment", headers: json, payload: "" }),
    400,
    "INVALID_JSON",
  ],
  ["missing text", () => ({ method: "POST", url: "/api/sentiment", payload: {} }), 400, "VALIDATION_FAILED"],
  [
    "text is a number",
    () => ({ method: "POST", url: "/api/sentiment", payload: { text: 42 } }),
    400,
    "VALIDATION_FAILED",
  ],
  [
    "empty text",
    () => ({ method: "POST", url: "/api/sentiment", payload: { text: "" } }),
    400,
    "VALIDATION_FAILED",
  ],
  [
    "oversized text",
    () => ({ method: "POST", url: "/api/sentiment", payload: { text: "好".repeat(201) } }),
    413,
    "INPUT_TOO_LONG",
  ],
  [
    "unknown field",
    () => ({ method: "POST", url: "/api/sentiment", payload: { text: "好", extra: 1 } }),
    400,
    "VALIDATION_FAILED",
  ],
  [
    "body is an array",
    () => ({ method: "POST", url: "/api/sentiment", payload: [1, 2] }),
    400,
    "VALIDATION_FAILED",
  ],
  [
    "XML body",
    () => ({
      method: "POST",
      url: "/api/sentiment",
      headers: { "content-type": "application/xml" },
      payload: "<a/>",
    }),
    415,
    "UNSUPPORTED_MEDIA_TYPE",
  ],
  [
    "chat without messages",
    () => ({ method: "POST", url: "/api/chat", payload: { messages: [] } }),
    400,
    "VALIDATION_FAILED",
  ],
  [
    "chat with a bad role",
    () => ({ method: "POST", url: "/api/chat", payload: { messages: [{ role: "robot", content: "x" }] } }),
    400,
    "VALIDATION_FAILED",
  ],
  [
    "chat ending with the assistant",
    () => ({
      method: "POST",
      url: "/api/chat",
      payload: { messages: [{ role: "assistant", content: "x" }], stream: false },
    }),
    400,
    "VALIDATION_FAILED",
  ],
  [
    "chat with stream as a string",
    () => ({
      method: "POST",
      url: "/api/chat",
      payload: { messages: [{ role: "user", content: "x" }], stream: "no" },
    }),
    400,
    "VALIDATION_FAILED",
  ],
  [
    "chat whose last message is not the user's",
    () => ({
      method: "POST",
      url: "/api/chat",
      payload: {
        messages: [
          { role: "user", content: "你好" },
          { role: "assistant", content: "你好！" },
        ],
      },
    }),
    400,
    "VALIDATION_FAILED",
  ],
  [
    "feedback without type",
    () => ({ method: "POST", url: "/api/feedback", payload: { interactionId: sentimentId } }),
    400,
    "VALIDATION_FAILED",
  ],
  [
    "feedback with unknown type",
    () => ({ method: "POST", url: "/api/feedback", payload: { interactionId: sentimentId, type: "like" } }),
    400,
    "VALIDATION_FAILED",
  ],
  [
    "feedback for an unknown interaction",
    () => ({ method: "POST", url: "/api/feedback", payload: { interactionId: "no-such-id", type: "exit" } }),
    404,
    "INTERACTION_NOT_FOUND",
  ],
  [
    "a label outside the task's labels",
    () => ({
      method: "POST",
      url: "/api/feedback",
      payload: { interactionId: sentimentId, feedbackToken, type: "label_correct", label: "中性" },
    }),
    400,
    "UNKNOWN_LABEL",
  ],
  [
    "rating out of range",
    () => ({
      method: "POST",
      url: "/api/feedback",
      payload: { interactionId: sentimentId, type: "rating", score: 6 },
    }),
    400,
    "VALIDATION_FAILED",
  ],
  [
    "rating not an integer",
    () => ({
      method: "POST",
      url: "/api/feedback",
      payload: { interactionId: sentimentId, type: "rating", score: 2.5 },
    }),
    400,
    "VALIDATION_FAILED",
  ],
  [
    "negative dwell",
    () => ({
      method: "POST",
      url: "/api/feedback",
      payload: { interactionId: sentimentId, type: "dwell", ms: -1 },
    }),
    400,
    "VALIDATION_FAILED",
  ],
  [
    "text/plain beacon that is not JSON",
    () => ({
      method: "POST",
      url: "/api/feedback",
      headers: { "content-type": "text/plain" },
      payload: "exit please",
    }),
    400,
    "INVALID_JSON",
  ],
  ["admin without a token", () => ({ method: "GET", url: "/api/admin/export" }), 401, "UNAUTHORIZED"],
  [
    "admin with a wrong token",
    () => ({
      method: "GET",
      url: "/api/admin/export",
      headers: { authorization: "Bearer not-the-token-at-all" },
    }),
    401,
    "UNAUTHORIZED",
  ],
  [
    "admin with a malformed header",
    () => ({
      method: "GET",
      url: "/api/admin/export",
      headers: { authorization: adminHeaders.authorization.replace("Bearer ", "Basic ") },
    }),
    401,
    "UNAUTHORIZED",
  ],
  [
    "export in an unknown format",
    () => ({ method: "GET", url: "/api/admin/export?format=csv", headers: adminHeaders }),
    400,
    "VALIDATION_FAILED",
  ],
  ["unknown route", () => ({ method: "GET", url: "/api/nope" }), 404, "NOT_FOUND"],
];

it.each(cases)("%s → a 4xx with a stable error code", async (_name, request, status, code) => {
  const res = await app.server.inject(request());
  expect(res.statusCode).toBe(status);
  const body = res.json<{ error: { code: string; message: string } }>();
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(res.body).not.toMatch(/at .+\.(ts|js):\d+/);
});

it("is still serving after all of them", async () => {
  const res = await app.server.inject({ method: "GET", url: "/api/health" });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({ status: "ok" });
  expect(cases.length).toBeGreaterThanOrEqual(20);
});
