import { afterAll, beforeAll, expect, it } from "vitest";
import type { AnalysisOutcome } from "../../src/analysis/job/analysis-service.js";
import type { App } from "../../src/server/create-app.js";
import {
  feedReviews,
  plantedKeyword,
  plantedReviews,
  plantedRuleModel,
} from "../analysis/planted-reviews.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";

/**
 * The analysis's replay gate replays the task's named regression sets for every candidate. The scripted model
 * (planted-reviews.ts) calls every review with the planted keyword 负面 once the rules candidate's rule is in its
 * prompt; an operator's set holds one such review that is really positive, so the rule breaks it and the gate
 * must stop that candidate, saying which set it broke.
 */
let app: App;
beforeAll(async () => {
  app = await startTestApp(
    { ANALYSIS_CRON: "", AUTO_START_CANARY: "false" },
    { backend: plantedRuleModel() },
  );
  await feedReviews(app, plantedReviews({ planted: 90, plain: 170 }));
});
afterAll(() => app.close());

const call = async (method: "POST" | "PUT" | "GET", url: string, payload?: object) =>
  app.server.inject({ method, url, headers: adminHeaders, ...(payload && { payload }) });

it("replays a named regression set for every candidate and fails the one that breaks it", async () => {
  const positive = (
    await call("POST", "/api/sentiment", { text: `整体${plantedKeyword}，我很满意，会再来` })
  ).json<{
    interactionId: string;
    label: string;
  }>();
  expect(positive.label).toBe("正面");
  const set = (
    await call("POST", "/api/admin/regression-sets", { task: "sentiment", name: "夸奖里的还行" })
  ).json<{
    set: { id: string };
  }>().set;
  const put = await call("PUT", `/api/admin/regression-sets/${set.id}/items/${positive.interactionId}`, {
    expectedLabel: "正面",
  });
  expect(put.statusCode, put.body).toBe(200);

  const outcome = (await call("POST", "/api/admin/analyze")).json<AnalysisOutcome>();
  expect(outcome.status).toBe("completed");
  const sentiment = outcome.report.tasks.find((task) => task.task === "sentiment")!;
  const replayed = sentiment.candidates.filter((entry) => entry.replay !== null);
  expect(replayed.length).toBeGreaterThan(0);
  for (const entry of replayed) {
    expect(entry.replay!.stats.namedSets).toEqual([
      expect.objectContaining({ id: set.id, name: "夸奖里的还行", n: 1, currentCorrect: 1 }),
    ]);
  }
  const rules = sentiment.candidates.find((entry) => entry.candidate.strategy === "rules")!;
  expect(rules.candidate.systemPrompt).toContain(`含有'${plantedKeyword}'的评论通常是'负面'`);
  expect(rules.replay).toMatchObject({
    pass: false,
    reason: expect.stringContaining('regression set "夸奖里的还行": 0 of 1 right vs 1'),
  });
  expect(rules.replay!.stats.namedSets![0]).toMatchObject({
    candidateCorrect: 0,
    brokenByCandidate: 1,
    pass: false,
  });
  if (sentiment.recommendation.decision === "create_draft") {
    expect(sentiment.recommendation.candidate).not.toBe("rules");
  }

  const markdown = await call("GET", `/api/admin/reports/${outcome.reportId}?format=md`);
  expect(markdown.body).toContain(
    "回归集 regression set “夸奖里的还行”: 1 → 0 of 1 right (fixed 0, broken 1): fail",
  );
});
