import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalysisOutcome } from "../../src/analysis/job/analysis-service.js";
import type { App } from "../../src/server/create-app.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";
import { chatTurnClient } from "./chat-turn-client.js";

/**
 * The chat half of the loop, through the HTTP API on the generated tiny model: 300 chat turns with scripted
 * signals. Turns about 退款 get low ratings, edits and a rephrased follow-up; the others get high ratings, copies
 * and follow-ups on a new topic. The analysis must rank 退款 first among chat's low-quality patterns and report
 * how well the score's weights rank held-out ratings.
 */
const lowTopics = ["退款怎么办理", "我要退款可以吗", "退款多久能到账", "申请退款被拒绝了"];
const lowRephrased = ["请问退款怎么办理", "退款可以吗我要", "到账要多久退款", "退款被拒绝了怎么办"];
const highTopics = ["推荐一本好书", "帮我写一首诗", "附近有什么好吃的", "周末去哪里玩"];
const highNext = ["今天天气怎么样", "讲个笑话吧", "什么是机器学习", "怎样学好英语"];

describe("chat quality through the HTTP API", () => {
  let app: App;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const { chat, feedback } = chatTurnClient(() => app);

  it("ranks the planted word first among chat's low-quality patterns and reports the score's fit", async () => {
    for (let session = 0; session < 150; session++) {
      const sessionId = `chat-user-${session}`;
      const low = session % 5 < 2;
      const topic = session % 4;
      const first = await chat(sessionId, (low ? lowTopics : highTopics)[topic]!);
      await feedback(first, sessionId, { type: "dwell", ms: low ? 800 : 9000 });
      if (low) {
        await feedback(first, sessionId, { type: "rating", score: 1 });
        await feedback(first, sessionId, {
          type: "reply_edit",
          text: "您可以在订单页面申请退款，一般三到五个工作日到账。",
        });
      } else {
        await feedback(first, sessionId, { type: "rating", score: 5 });
        await feedback(first, sessionId, { type: "copy" });
      }
      await feedback(first, sessionId, { type: "follow_up", afterMs: 4000 });
      const second = await chat(sessionId, (low ? lowRephrased : highNext)[topic]!);
      await feedback(second, sessionId, { type: "rating", score: low ? 2 : 5 });
      await feedback(second, sessionId, low ? { type: "exit" } : { type: "copy" });
    }

    const res = await app.server.inject({ method: "POST", url: "/api/admin/analyze", headers: adminHeaders });
    expect(res.statusCode, res.body).toBe(200);
    const outcome = res.json<AnalysisOutcome>();
    const chatReport = outcome.report.tasks.find((task) => task.task === "chat")!;
    const quality = chatReport.quality;
    expect(quality.signals).toMatchObject({
      turns: 300,
      ratings: 300,
      followUps: { rephrase: 60, newTopic: 90, ignored: { no_session: 0, no_next_turn: 0 } },
      copies: 90 * 2,
      edits: 60,
      exits: 60,
    });
    const total = quality.rows.find((row) => row.bucketStart === null && row.promptVersionId === "chat@v1")!;
    expect(total).toMatchObject({ turns: 300, scored: 300, badTurns: 120 });
    expect(total.badTurnRateLow!).toBeLessThan(0.4);
    expect(total.badTurnRateHigh!).toBeGreaterThan(0.4);
    expect(total.meanScoreLow!).toBeLessThan(total.meanScore!);
    expect(quality.lowQuality!.patterns[0]!.title).toContain("退款");
    expect(quality.fit).toMatchObject({ source: "fitted", fittedOn: 300, ratedTurns: 300 });
    expect(quality.fit.evaluation.heldOutTurns).toBe(60);
    expect(quality.fit.evaluation.auc!).toBeGreaterThan(0.9);
    expect(chatReport.quality.fit.weights.features.rephrase).toBeLessThan(0);
  }, 600_000);
});
