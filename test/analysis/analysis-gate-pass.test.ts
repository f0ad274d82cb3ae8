import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import type { AnalysisOutcome } from "../../src/analysis/job/analysis-service.js";
import type { StoredReport } from "../../src/analysis/job/stored-report.js";
import { FakeLlmBackend, systemPromptOf } from "../../src/engine/fake-llm-backend.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";
import { feedReviews, negativeClauses, plantedKeyword, plantedReviews } from "./planted-reviews.js";

/** The rule the rules strategy writes for the planted keyword, read by the fake model. */
const plantedRule = `含有'${plantedKeyword}'的评论通常是'负面'`;

/**
 * A scripted model with the planted weakness: it calls every review with the keyword 正面 (users correct them to
 * 负面) unless its system prompt carries the rule for the keyword; other reviews it gets right by their wording.
 * Replaying a candidate through it therefore shows whether the candidate fixes the weakness.
 */
const backend = new FakeLlmBackend({
  classify: (request) => {
    if (request.input.includes(plantedKeyword)) {
      return systemPromptOf(request).includes(plantedRule) ? "负面" : "正面";
    }
    return negativeClauses.some((clause) => request.input.includes(clause)) ? "负面" : "正面";
  },
});
const proposed: { versionId: string; reportId: string }[] = [];
const completedRuns: string[] = [];
let app: App;

beforeAll(async () => {
  app = await startTestApp(
    // The canary the rollout would start is the subject of analysis-rollout-hooks.test.ts; here a canary would
    // route some of the later reviews to the draft.
    { ANALYSIS_CRON: "", AUTO_START_CANARY: "false" },
    {
      backend,
      analysisHooks: {
        onCandidateProposed: (versionId, report) => {
          proposed.push({ versionId, reportId: report.id });
        },
        afterRun: (report) => {
          completedRuns.push(report.id);
        },
      },
    },
  );
  await feedReviews(app, plantedReviews({ planted: 90, plain: 170 }));
});
afterAll(() => app.close());

const analyze = async () => {
  const res = await app.server.inject({ method: "POST", url: "/api/admin/analyze", headers: adminHeaders });
  expect(res.statusCode).toBe(200);
  return res.json<AnalysisOutcome>();
};

const storedVersions = () =>
  app.database.db
    .selectFrom("prompt_versions")
    .selectAll()
    .where("task", "=", "sentiment")
    .orderBy("id")
    .execute();

describe("the analysis job with a model that follows the rule (replay gate passes)", () => {
  let first: AnalysisOutcome;

  it("finds the keyword, replays the candidates through the engine, and drafts the rule that fixes it", async () => {
    const callsBefore = backend.classifyCalls.length;
    first = await analyze();
    expect(first.status).toBe("completed");
    const sentiment = first.report.tasks.find((task) => task.task === "sentiment")!;
    const top = sentiment.mining!.patterns[0]!;
    expect(top.text).toBe(plantedKeyword);
    expect(top.dominantDirection).toMatchObject({ predicted: "正面", gold: "负面" });
    expect(sentiment.trigger.decision).toBe("create_draft");

    const rules = sentiment.candidates.find((entry) => entry.candidate.strategy === "rules")!;
    expect(rules.candidate.targetPatterns[0]).toBe(top.id);
    expect(rules.candidate.systemPrompt).toContain(plantedRule);
    expect(rules.replay!.pass).toBe(true);
    expect(rules.replay!.stats.slice.candidateCorrect).toBe(rules.replay!.stats.slice.n);
    expect(rules.replay!.stats.slice.currentCorrect).toBe(0);
    expect(rules.replay!.stats.regression.brokenByCandidate).toBe(0);
    // Every candidate was replayed, on the same items as the current version.
    expect(sentiment.candidates.every((entry) => entry.replay !== null)).toBe(true);
    const replayCalls = backend.classifyCalls.slice(callsBefore);
    expect(replayCalls).toHaveLength(first.report.run.replay.calls);
    expect(replayCalls.filter((call) => systemPromptOf(call).includes(plantedRule))).toHaveLength(
      first.report.run.replay.calls / (sentiment.candidates.length + 1),
    );

    expect(sentiment.recommendation).toMatchObject({
      decision: "create_draft",
      versionId: "sentiment@v2",
      fromVersionId: "sentiment@v1",
      candidate: "rules",
    });
    expect(first.drafts).toEqual([
      {
        task: "sentiment",
        versionId: "sentiment@v2",
        parentId: "sentiment@v1",
        candidate: "rules",
        created: true,
      },
    ]);
  });

  it("saves the draft with source analysis, the active version as parent, and the report in its changelog", async () => {
    const draft = (await storedVersions()).find((row) => row.id === "sentiment@v2")!;
    expect(draft).toMatchObject({ source: "analysis", parent_id: "sentiment@v1", version: "v2" });
    expect(JSON.parse(draft.definition)).toMatchObject({
      systemPrompt: expect.stringContaining(plantedRule) as unknown,
      labels: ["正面", "负面"],
    });
    const changelog = JSON.parse(draft.changelog) as {
      reportId: string;
      strategy: string;
      evidence: { trigger: { labelled: number }; replay: { stats: { slice: { n: number } } } };
    };
    expect(changelog.reportId).toBe(first.reportId);
    expect(changelog.strategy).toBe("rules");
    expect(changelog.evidence.trigger.labelled).toBe(260);
    expect(changelog.evidence.replay.stats.slice.n).toBeGreaterThanOrEqual(5);
    // A draft is only proposed: users are still served v1.
    const tasks = (await app.server.inject({ method: "GET", url: "/api/tasks" })).json<
      { task: string; activeVersion: string }[]
    >();
    expect(tasks.find((task) => task.task === "sentiment")!.activeVersion).toBe("sentiment@v1");
  });

  it("calls the hooks with the new draft and the report", () => {
    expect(proposed).toEqual([{ versionId: "sentiment@v2", reportId: first.reportId }]);
    expect(completedRuns).toEqual([first.reportId]);
  });

  it("is idempotent: a second run without new feedback returns the same report and creates nothing", async () => {
    const versionsBefore = await storedVersions();
    const callsBefore = backend.classifyCalls.length;
    const second = await analyze();
    expect(second.status).toBe("skipped");
    expect(second.reason).toMatch(/no new feedback since run #1/);
    expect(second.reportId).toBe(first.reportId);
    expect(second.report).toEqual(first.report);
    expect(await storedVersions()).toEqual(versionsBefore);
    expect(backend.classifyCalls.length).toBe(callsBefore);
    expect(proposed).toHaveLength(1);
    const listed = (
      await app.server.inject({ method: "GET", url: "/api/admin/reports", headers: adminHeaders })
    ).json<{ reports: unknown[] }>();
    expect(listed.reports).toHaveLength(1);
  });

  it("with new feedback runs again, and recognises a candidate identical to the stored draft", async () => {
    await feedReviews(app, plantedReviews({ planted: 1, plain: 0, seed: 99 }));
    const third = await analyze();
    expect(third.status).toBe("completed");
    expect(third.reportId).not.toBe(first.reportId);
    expect(third.report.watermark.previous).toBe(first.report.watermark.next);
    const sentiment = third.report.tasks.find((task) => task.task === "sentiment")!;
    expect(sentiment.newLabelled).toBe(1);
    expect(sentiment.recommendation).toMatchObject({ decision: "create_draft", versionId: "sentiment@v2" });
    expect(third.drafts).toEqual([
      {
        task: "sentiment",
        versionId: "sentiment@v2",
        parentId: "sentiment@v1",
        candidate: "rules",
        created: false,
      },
    ]);
    expect((await storedVersions()).map((row) => row.id)).toEqual(["sentiment@v1", "sentiment@v2"]);
    expect(proposed).toHaveLength(1);
    expect(completedRuns).toEqual([first.reportId, third.reportId]);
    const stored = JSON.parse(
      (
        await app.server.inject({
          method: "GET",
          url: `/api/admin/reports/${third.reportId}`,
          headers: adminHeaders,
        })
      ).body,
    ) as StoredReport;
    expect(stored.run.drafts).toEqual(third.drafts);
  });
});
