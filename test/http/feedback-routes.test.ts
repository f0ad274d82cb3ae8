import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { startTestApp } from "../support/test-app.js";

let app: App;
let sentimentId: string;
let replyId: string;
/** The feedbackToken each answer came with; `post` adds it, as the web app does. */
const tokens = new Map<string, string>();

beforeAll(async () => {
  app = await startTestApp();
  const res = await app.server.inject({
    method: "POST",
    url: "/api/analyze",
    payload: { text: "还能接受吧", stream: false, sessionId: "s-1" },
  });
  type Answer = { interactionId: string; feedbackToken: string };
  const body = res.json<{ sentiment: Answer; reply: Answer }>();
  sentimentId = body.sentiment.interactionId;
  replyId = body.reply.interactionId;
  for (const answer of [body.sentiment, body.reply]) tokens.set(answer.interactionId, answer.feedbackToken);
});
afterAll(() => app.close());

const withToken = (payload: Record<string, unknown>) => ({
  feedbackToken: tokens.get(String(payload.interactionId)),
  ...payload,
});
const post = (payload: Record<string, unknown>, contentType = "application/json") =>
  app.server.inject({
    method: "POST",
    url: "/api/feedback",
    headers: { "content-type": contentType },
    payload: JSON.stringify(withToken(payload)),
  });

describe("POST /api/feedback", () => {
  it.each([
    ["label_confirm", () => ({ interactionId: sentimentId, correct: false }), { correct: false }],
    [
      "label_correct",
      () => ({ interactionId: sentimentId, label: "负面", reasons: ["mixed"] }),
      { label: "负面", reasons: ["mixed"] },
    ],
    ["rating", () => ({ interactionId: replyId, score: 4 }), { score: 4 }],
    [
      "reply_edit",
      () => ({ interactionId: replyId, text: "改过的回复，电话 13900001111" }),
      { text: "改过的回复，电话 [phone]" },
    ],
    ["dwell", () => ({ interactionId: replyId, ms: 5300 }), { ms: 5300 }],
    ["follow_up", () => ({ interactionId: replyId, afterMs: 12_000 }), { afterMs: 12_000 }],
    ["copy", () => ({ interactionId: replyId }), {}],
    ["exit", () => ({ interactionId: replyId }), {}],
  ])("stores %s with its fields and answers 202", async (type, fields, payload) => {
    const res = await post({ type, sessionId: "s-1", ...fields() });
    expect(res.statusCode).toBe(202);
    const { feedbackId } = res.json<{ feedbackId: number }>();
    const row = await app.database.db
      .selectFrom("feedback_events")
      .selectAll()
      .where("id", "=", feedbackId)
      .executeTakeFirstOrThrow();
    expect(row.type).toBe(type);
    expect(JSON.parse(row.payload)).toEqual(payload);
    expect(row.session_hash).toMatch(/^[0-9a-f]{32}$/);
  });

  it("accepts a sendBeacon-style text/plain JSON body", async () => {
    const res = await post({ interactionId: replyId, type: "follow_up" }, "text/plain;charset=UTF-8");
    expect(res.statusCode).toBe(202);
  });

  it("rejects label feedback on a reply and reply feedback on a label", async () => {
    expect(
      (await post({ interactionId: replyId, type: "label_confirm", correct: true })).json(),
    ).toMatchObject({
      error: { code: "UNSUPPORTED_FEEDBACK" },
    });
    expect((await post({ interactionId: sentimentId, type: "rating", score: 5 })).statusCode).toBe(400);
  });
});
