import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalysisOutcome } from "../../src/analysis/job/analysis-service.js";
import type { App } from "../../src/server/create-app.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";
import { chatTurnClient } from "./chat-turn-client.js";

/**
 * Chat prompt candidates through the HTTP API on the generated tiny model: 100 one-turn chat sessions with scripted
 * feedback. Questions about 退款/发票/快递 get a rating of 1 and the user's own better answer (an edit); the others
 * get a 5 and a copy. The analysis must fire on the bad-turn rate, build a chat candidate whose exemplars are the
 * users' edits, replay it through the model in the generator gate, report the gate's figures, save the draft and
 * start its canary.
 */
const lowTurns = [
  { ask: "退款怎么办理", edit: "在订单页面点申请退款，一般三到五个工作日到账。" },
  { ask: "发票怎么开", edit: "在订单详情里点开具发票，填好抬头就可以。" },
  { ask: "快递到哪里了", edit: "在我的订单里点查看物流，能看到快递的实时位置。" },
  { ask: "会员怎么取消", edit: "在设置里打开会员管理，关闭自动续费即可取消。" },
];
const highTurns = [
  "推荐一本好书",
  "帮我写一首诗",
  "附近有什么好吃的",
  "周末去哪里玩",
  "讲个笑话吧",
  "什么是机器学习",
];
const editTexts = new Set(lowTurns.map((turn) => turn.edit));

describe("chat candidates through the HTTP API", () => {
  let app: App;
  beforeAll(async () => {
    app = await startTestApp({ ANALYSIS_MIN_LABELLED_SAMPLES: 50, ANALYSIS_CHAT_REPLAY_ITEMS: 12 });
  });
  afterAll(() => app.close());

  const { chat, feedback } = chatTurnClient(() => app);

  it("drafts a chat candidate whose exemplars are the users' edits, with the gate's figures in the report", async () => {
    for (let session = 0; session < 100; session++) {
      const sessionId = `chat-cand-${session}`;
      if (session % 5 < 2) {
        const low = lowTurns[session % lowTurns.length]!;
        const turn = await chat(sessionId, low.ask);
        await feedback(turn, sessionId, { type: "rating", score: 1 });
        await feedback(turn, sessionId, { type: "reply_edit", text: low.edit });
      } else {
        const turn = await chat(sessionId, highTurns[session % highTurns.length]!);
        await feedback(turn, sessionId, { type: "rating", score: 5 });
        await feedback(turn, sessionId, { type: "copy" });
      }
    }

    const res = await app.server.inject({ method: "POST", url: "/api/admin/analyze", headers: adminHeaders });
    expect(res.statusCode, res.body).toBe(200);
    const outcome = res.json<AnalysisOutcome>();
    const chatReport = outcome.report.tasks.find((task) => task.task === "chat")!;
    expect(chatReport.trigger.decision, chatReport.trigger.reason.en).toBe("create_draft");
    expect(chatReport.trigger.reason.en).toContain("bad-turn rate");

    const replies = chatReport.quality.replies!;
    expect(replies.poolTurns + replies.heldOutTurns).toBe(100);
    expect(replies.exemplars.edits).toBeGreaterThan(0);
    expect(replies.exemplars.exemplars.length).toBeGreaterThan(0);
    for (const exemplar of replies.exemplars.exemplars) expect(editTexts).toContain(exemplar.reply);

    const entry = chatReport.candidates.find(
      (candidate) => candidate.candidate.strategy === "edit-exemplars",
    )!;
    const gate = entry.gate!;
    expect(gate.heldOut.current.items).toBe(12);
    expect(gate.lowQuality.current.items).toBeGreaterThan(0);
    expect(gate.checks).toHaveLength(8);
    expect(gate.editSimilarity.items).toBe(gate.lowQuality.current.items);
    expect(gate.editSimilarity.current).not.toBeNull();
    expect(gate.limits).toContain("canary");
    expect(outcome.report.run.replay.calls).toBe(12 * (chatReport.candidates.length + 1));

    // The draft is the recommended candidate, saved like a classifier's, and carries the edits.
    expect(chatReport.recommendation.decision, JSON.stringify(chatReport.recommendation)).toBe(
      "create_draft",
    );
    const draft = outcome.drafts.find((d) => d.task === "chat")!;
    expect(draft).toMatchObject({ parentId: "chat@v1", created: true, candidate: "edit-exemplars" });
    const version = await app.server.inject({
      method: "GET",
      url: `/api/admin/prompts/${encodeURIComponent(draft.versionId)}`,
      headers: adminHeaders,
    });
    expect(version.statusCode, version.body).toBe(200);
    const systemPrompt: string =
      version.json().version?.definition?.systemPrompt ?? version.json().definition.systemPrompt;
    expect([...editTexts].some((edit) => systemPrompt.includes(edit))).toBe(true);

    // Like a classifier's draft, it starts its canary (AUTO_START_CANARY): the bad turns came from 40 sessions.
    expect(chatReport.sessions).toMatchObject({ distinct: 100, errorSessions: 40 });
    const rollouts = await app.server.inject({
      method: "GET",
      url: "/api/admin/rollouts?task=chat",
      headers: adminHeaders,
    });
    expect(rollouts.statusCode, rollouts.body).toBe(200);
    expect(rollouts.json().experiments[0]).toMatchObject({
      control: "chat@v1",
      candidate: draft.versionId,
      status: "running",
      startedBy: "analysis",
    });

    const markdown = await app.server.inject({
      method: "GET",
      url: `/api/admin/reports/${outcome.reportId}?format=md`,
      headers: adminHeaders,
    });
    expect(markdown.body).toContain("Gate: **pass**");
    expect(markdown.body).toContain("closeness to users' edits");
  }, 600_000);
});
