import { afterAll, beforeAll, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { createTokenBook } from "../support/token-book.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";

let app: App;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const book = createTokenBook();
const inject = async (url: string, payload?: Record<string, unknown>) => {
  const response = await app.server.inject({
    method: payload ? "POST" : "GET",
    url,
    ...(payload ? { payload: url === "/api/feedback" ? book.sign(payload) : payload } : {}),
    headers: adminHeaders,
  });
  if (String(response.headers["content-type"]).includes("json")) book.remember(response.json());
  return response;
};

it("starts empty, then shows accuracy with intervals, ratings, exits, mistakes and versions", async () => {
  const empty = (await inject("/api/admin/dashboard")).json<{
    series: unknown[];
    misclassified: unknown[];
  }>();
  expect(empty.series).toEqual([]);
  expect(empty.misclassified).toEqual([]);

  const predicted: Array<{ id: string; label: string }> = [];
  for (let i = 0; i < 6; i++) {
    const res = await inject("/api/analyze", { text: `评论 ${i}`, stream: false });
    const body = res.json<{
      sentiment: { interactionId: string; label: string };
      reply: { interactionId: string };
    }>();
    predicted.push({ id: body.sentiment.interactionId, label: body.sentiment.label });
    await inject("/api/feedback", {
      interactionId: body.reply.interactionId,
      type: "rating",
      score: i < 3 ? 5 : 2,
    });
    if (i === 0) await inject("/api/feedback", { interactionId: body.reply.interactionId, type: "exit" });
  }
  // Four confirmed right, two corrected to the other label.
  for (const [i, p] of predicted.entries()) {
    if (i < 4) await inject("/api/feedback", { interactionId: p.id, type: "label_confirm", correct: true });
    else {
      const other = p.label === "正面" ? "负面" : "正面";
      await inject("/api/feedback", {
        interactionId: p.id,
        type: "label_correct",
        label: other,
        reasons: ["sarcasm"],
      });
    }
  }

  const res = await inject("/api/admin/dashboard?bucket=day&days=7");
  expect(res.statusCode).toBe(200);
  const body = res.json<{
    totals: Array<Record<string, unknown>>;
    series: Array<Record<string, unknown>>;
    misclassified: Array<Record<string, unknown>>;
    promptVersions: Array<{ id: string; status: string }>;
  }>();
  const sentiment = body.totals.find((t) => t.task === "sentiment")!;
  expect(sentiment).toMatchObject({
    promptVersion: "sentiment@v1",
    interactions: 6,
    labelled: 6,
    correct: 4,
  });
  expect(sentiment.accuracy).toBeCloseTo(4 / 6);
  expect(sentiment.accuracyLow as number).toBeLessThan(4 / 6);
  expect(sentiment.accuracyHigh as number).toBeGreaterThan(4 / 6);
  const chat = body.totals.find((t) => t.task === "chat")!;
  expect(chat).toMatchObject({ interactions: 6, ratings: 6, meanRating: 3.5, exits: 1 });
  expect(chat.exitRate).toBeCloseTo(1 / 6);
  // chat@v1's fused quality score with its interval: three turns rated 5 (one of them left), three rated 2.
  expect(chat).toMatchObject({ promptVersion: "chat@v1", scoredTurns: 6, badTurns: 3, badTurnRate: 0.5 });
  expect(chat.meanScoreLow as number).toBeLessThan(chat.meanScore as number);
  expect(chat.meanScoreHigh as number).toBeGreaterThan(chat.meanScore as number);
  expect(chat.badTurnRateLow as number).toBeLessThan(0.5);
  expect(body.series.filter((s) => s.task === "sentiment")).toHaveLength(1);
  expect(body.misclassified).toHaveLength(2);
  expect(body.misclassified[0]).toMatchObject({ interactionId: predicted[5]!.id, reasons: ["sarcasm"] });
  expect(body.misclassified[0]!.corrected).not.toBe(predicted[5]!.label);
  expect(body.promptVersions).toEqual(
    expect.arrayContaining([expect.objectContaining({ id: "sentiment@v1", status: "active" })]),
  );
});

it("validates its query", async () => {
  expect((await inject("/api/admin/dashboard?days=0")).statusCode).toBe(400);
  expect((await inject("/api/admin/dashboard?bucket=week")).statusCode).toBe(400);
});
