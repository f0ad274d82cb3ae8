import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { maxEventsPerInteraction } from "../../src/feedback/feedback-limits.js";
import { beaconReservePerMinute } from "../../src/feedback/feedback-rate-limiter.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";

/** Issue 17 §1 and §4 over HTTP: feedback only from the answer's owner, once, within caps and rate limits; erasure. */
let app: App;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

interface Answer {
  interactionId: string;
  feedbackToken: string;
}

async function classify(target: App, text: string, sessionId?: string): Promise<Answer> {
  const res = await target.server.inject({
    method: "POST",
    url: "/api/sentiment",
    payload: { text, ...(sessionId !== undefined && { sessionId }) },
  });
  expect(res.statusCode).toBe(200);
  return res.json<Answer>();
}

const postFeedback = (target: App, payload: Record<string, unknown>, contentType = "application/json") =>
  target.server.inject({
    method: "POST",
    url: "/api/feedback",
    headers: { "content-type": contentType },
    payload: JSON.stringify(payload),
  });

async function storedEvents(interactionId: string) {
  return app.database.db
    .selectFrom("feedback_events")
    .select(["id", "type", "session_hash"])
    .where("interaction_id", "=", interactionId)
    .execute();
}

describe("feedbackToken", () => {
  it("comes with every answer, and feedback without the answer's own token is refused (403)", async () => {
    const mine = await classify(app, "房间很干净", "owner");
    const theirs = await classify(app, "服务很差", "someone-else");
    expect(mine.feedbackToken).toMatch(/^v1\.[A-Za-z0-9_-]{22}$/);
    const correction = { interactionId: mine.interactionId, type: "label_correct", label: "负面" };
    for (const payload of [
      correction,
      { ...correction, feedbackToken: theirs.feedbackToken },
      { ...correction, feedbackToken: `${mine.feedbackToken.slice(0, -2)}AA` },
      { ...correction, feedbackToken: mine.feedbackToken, sessionId: "someone-else" },
    ]) {
      const res = await postFeedback(app, payload);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: "FEEDBACK_FORBIDDEN" } });
    }
    expect(await storedEvents(mine.interactionId)).toEqual([]);
    const accepted = await postFeedback(app, {
      ...correction,
      feedbackToken: mine.feedbackToken,
      sessionId: "owner",
    });
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json()).toEqual({ feedbackId: expect.any(Number), duplicate: false });
  });

  it("is carried by the chat's done event and accepted on a sendBeacon text/plain body", async () => {
    const res = await app.server.inject({
      method: "POST",
      url: "/api/chat",
      payload: { messages: [{ role: "user", content: "你好" }], stream: false, sessionId: "chatter" },
    });
    const reply = res.json<Answer>();
    expect(reply.feedbackToken).toMatch(/^v1\./);
    const exit = await postFeedback(
      app,
      {
        interactionId: reply.interactionId,
        type: "exit",
        feedbackToken: reply.feedbackToken,
        sessionId: "chatter",
      },
      "text/plain",
    );
    expect(exit.statusCode).toBe(202);
  });
});

describe("idempotency", () => {
  it("stores a replayed event once: 3,000 copies of one request are one row", async () => {
    const answer = await classify(app, "一般般吧", "replayer");
    const event = {
      interactionId: answer.interactionId,
      feedbackToken: answer.feedbackToken,
      type: "label_correct",
      label: "负面",
    };
    const first = await postFeedback(app, event);
    expect(first.json()).toEqual({ feedbackId: expect.any(Number), duplicate: false });
    for (let batch = 0; batch < 30; batch++) {
      const replies = await Promise.all(Array.from({ length: 100 }, () => postFeedback(app, event)));
      for (const reply of replies) {
        expect(reply.statusCode).toBe(202);
        expect(reply.json()).toEqual({ feedbackId: first.json().feedbackId, duplicate: true });
      }
    }
    expect(await storedEvents(answer.interactionId)).toHaveLength(1);
  });

  it("stores two events with different eventIds twice, and a retried eventId once", async () => {
    const answer = await classify(app, "还行", "retrier");
    const base = {
      interactionId: answer.interactionId,
      feedbackToken: answer.feedbackToken,
      type: "label_confirm",
    };
    const a = await postFeedback(app, { ...base, correct: true, eventId: "event-aaaa-0001" });
    const retried = await postFeedback(app, { ...base, correct: true, eventId: "event-aaaa-0001" });
    const b = await postFeedback(app, { ...base, correct: true, eventId: "event-bbbb-0002" });
    expect(retried.json()).toEqual({ feedbackId: a.json().feedbackId, duplicate: true });
    expect(b.json()).toMatchObject({ duplicate: false });
    expect(await storedEvents(answer.interactionId)).toHaveLength(2);
    const bad = await postFeedback(app, { ...base, correct: true, eventId: "no spaces allowed" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
  });
});

describe("caps per interaction", () => {
  it(`takes at most ${maxEventsPerInteraction.label_correct} corrections of one answer, then answers 409`, async () => {
    const answer = await classify(app, "质量一般", "flip-flopper");
    const max = maxEventsPerInteraction.label_correct;
    const statuses: number[] = [];
    for (let n = 0; n <= max; n++) {
      const res = await postFeedback(app, {
        interactionId: answer.interactionId,
        feedbackToken: answer.feedbackToken,
        type: "label_correct",
        label: n % 2 === 0 ? "负面" : "正面",
        eventId: `flip-${String(n).padStart(4, "0")}`,
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 409) {
        expect(res.json()).toMatchObject({
          error: { code: "FEEDBACK_LIMIT_REACHED", details: { type: "label_correct", max } },
        });
      }
    }
    expect(statuses).toEqual([...Array<number>(max).fill(202), 409]);
    expect(await storedEvents(answer.interactionId)).toHaveLength(max);
  });
});

describe("rate limit on feedback", () => {
  let limited: App;
  beforeAll(async () => {
    limited = await startTestApp({ FEEDBACK_RATE_LIMIT_PER_MINUTE: 5 });
  });
  afterAll(() => limited.close());

  it("limits one address, lets a closing page's beacons through a reserve, then refuses those too", async () => {
    const answers = await Promise.all(
      Array.from({ length: 3 }, (_, n) => classify(limited, `第${n}条`, `s-${n}`)),
    );
    const send = (n: number, contentType = "application/json") => {
      const answer = answers[n % answers.length]!;
      return postFeedback(
        limited,
        {
          interactionId: answer.interactionId,
          feedbackToken: answer.feedbackToken,
          type: "dwell",
          ms: 1000 + n,
        },
        contentType,
      );
    };
    const ordinary: number[] = [];
    for (let n = 0; n < 6; n++) ordinary.push((await send(n)).statusCode);
    expect(ordinary).toEqual([202, 202, 202, 202, 202, 429]);
    const refused = await send(6);
    expect(refused.headers["retry-after"]).toMatch(/^\d+$/);
    expect(refused.json()).toMatchObject({ error: { code: "RATE_LIMITED", details: { scope: "address" } } });
    const beacons: number[] = [];
    for (let n = 0; n <= beaconReservePerMinute; n++)
      beacons.push((await send(100 + n, "text/plain")).statusCode);
    expect(beacons.slice(0, beaconReservePerMinute).every((status) => status === 202)).toBe(true);
    expect(beacons.at(-1)).toBe(429);
  });

  it("limits one session across addresses", async () => {
    const answer = await classify(limited, "很好", "busy-session");
    const statuses: number[] = [];
    for (let n = 0; n < 6; n++) {
      const res = await limited.server.inject({
        method: "POST",
        url: "/api/feedback",
        remoteAddress: `10.0.0.${n + 1}`,
        payload: {
          interactionId: answer.interactionId,
          feedbackToken: answer.feedbackToken,
          type: "dwell",
          ms: 10 + n,
        },
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429)
        expect(res.json()).toMatchObject({ error: { details: { scope: "session" } } });
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });
});

describe("DELETE /api/admin/sessions/:sessionHash", () => {
  it("needs the admin token", async () => {
    const res = await app.server.inject({ method: "DELETE", url: `/api/admin/sessions/${"0".repeat(32)}` });
    expect(res.statusCode).toBe(401);
  });

  it("answers 400 for something that is not a session hash", async () => {
    const res = await app.server.inject({
      method: "DELETE",
      url: "/api/admin/sessions/not-a-hash",
      headers: adminHeaders,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
  });

  it("erases one session's interactions and feedback, leaves others alone, and records the erasure", async () => {
    const gone = await classify(app, "我的地址在和平路 12 号", "forget-me");
    const kept = await classify(app, "别人的话", "keep-me");
    for (const answer of [gone, kept]) {
      const res = await postFeedback(app, {
        interactionId: answer.interactionId,
        feedbackToken: answer.feedbackToken,
        type: "label_confirm",
        correct: true,
      });
      expect(res.statusCode).toBe(202);
    }
    const row = await app.database.db
      .selectFrom("interactions")
      .select("session_hash")
      .where("id", "=", gone.interactionId)
      .executeTakeFirstOrThrow();
    const hash = row.session_hash!;
    const res = await app.server.inject({
      method: "DELETE",
      url: `/api/admin/sessions/${hash}?actor=dpo`,
      headers: adminHeaders,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      erasure: {
        sessionHash: hash,
        interactions: 1,
        feedbackEvents: 1,
        actor: "api:dpo",
        erasedAt: expect.any(String),
      },
    });
    const remaining = await app.database.db
      .selectFrom("interactions")
      .select("id")
      .where("session_hash", "=", hash)
      .execute();
    expect(remaining).toEqual([]);
    expect(await storedEvents(gone.interactionId)).toEqual([]);
    expect(await storedEvents(kept.interactionId)).toHaveLength(1);
    const feedback = await postFeedback(app, {
      interactionId: gone.interactionId,
      feedbackToken: gone.feedbackToken,
      type: "exit",
    });
    expect(feedback.statusCode).toBe(404);

    const list = await app.server.inject({
      method: "GET",
      url: "/api/admin/sessions/erasures",
      headers: adminHeaders,
    });
    expect(list.json<{ erasures: unknown[] }>().erasures[0]).toEqual(
      res.json<{ erasure: unknown }>().erasure,
    );
  });
});
