import { afterEach, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import type { AnalysisOutcome } from "../../src/analysis/job/analysis-service.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";
import { feedReviews, plantedReviews, plantedRuleModel } from "./planted-reviews.js";

const scriptedModel = plantedRuleModel;

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function analyseWith(autoStart: "true" | "false") {
  app = await startTestApp({ ANALYSIS_CRON: "", AUTO_START_CANARY: autoStart }, { backend: scriptedModel() });
  await feedReviews(app, plantedReviews({ planted: 90, plain: 170 }));
  const res = await app.server.inject({ method: "POST", url: "/api/admin/analyze", headers: adminHeaders });
  expect(res.statusCode).toBe(200);
  return { app, outcome: res.json<AnalysisOutcome>() };
}

describe("the analysis hooks wired to the rollout", () => {
  it("starts the canary of a new draft, by the analysis, citing the report", async () => {
    const { app, outcome } = await analyseWith("true");
    expect(outcome.drafts).toMatchObject([{ versionId: "sentiment@v2", created: true }]);
    const experiments = await app.rollout.listExperiments({ task: "sentiment" });
    expect(experiments).toHaveLength(1);
    expect(experiments[0]).toMatchObject({
      control: "sentiment@v1",
      candidate: "sentiment@v2",
      status: "running",
      startedBy: "analysis",
      startReason: expect.stringContaining(outcome.reportId) as unknown,
    });
  });

  it("builds no further candidate while the canary it started is open, and says why", async () => {
    const { app, outcome: first } = await analyseWith("true");
    const [experiment] = await app.rollout.listExperiments({ task: "sentiment" });
    expect(first.drafts).toMatchObject([{ versionId: "sentiment@v2", created: true }]);
    // More of the same evidence arrives while the canary runs: the trigger fires again.
    await feedReviews(app, plantedReviews({ planted: 90, plain: 170, seed: 11 }));
    const res = await app.server.inject({ method: "POST", url: "/api/admin/analyze", headers: adminHeaders });
    expect(res.statusCode).toBe(200);
    const second = res.json<AnalysisOutcome>();
    expect(second.status).toBe("completed");
    const sentiment = second.report.tasks.find((task) => task.task === "sentiment")!;
    expect(sentiment.trigger.decision).toBe("create_draft");
    expect(sentiment.recommendation).toMatchObject({ decision: "no_change" });
    expect(sentiment.recommendation.reason.en).toContain(
      `experiment ${experiment!.id} (sentiment@v2) is still running`,
    );
    expect(sentiment.recommendation.reason.zh).toContain("进行中");
    expect(sentiment.candidates).toEqual([]);
    expect(second.drafts).toEqual([]);
    const versions = (await app.stores.prompts.listVersions()).filter(
      (version) => version.definition.task === "sentiment",
    );
    expect(versions.map((version) => version.id)).toEqual(["sentiment@v1", "sentiment@v2"]);
  });

  it("leaves the draft waiting for an operator when AUTO_START_CANARY is off", async () => {
    const { app, outcome } = await analyseWith("false");
    expect(outcome.drafts).toMatchObject([{ versionId: "sentiment@v2", created: true }]);
    expect(await app.rollout.listExperiments({ task: "sentiment" })).toEqual([]);
  });
});
