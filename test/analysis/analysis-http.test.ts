import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import type { RawConfig } from "../../src/config.js";
import type { AnalysisOutcome } from "../../src/analysis/job/analysis-service.js";
import type { StoredReport } from "../../src/analysis/job/stored-report.js";
import { adminHeaders, makeTempDir, startTestApp } from "../support/test-app.js";
import { feedReviews, plantedKeyword, plantedReviews, type FedReview } from "./planted-reviews.js";

/**
 * The analysis job end to end on the real engine (the generated tiny Qwen2 GGUF, random weights), real SQLite and
 * real HTTP. The model's answers are arbitrary but deterministic; the users' feedback makes one keyword drive the
 * errors. What the test asserts is what follows from the feedback, whatever the model answers.
 */
const settings: Partial<RawConfig> = {
  ANALYSIS_CRON: "",
  // Bounds the replay on a CPU model: at most 30 + 20 items per version.
  ANALYSIS_REPLAY_MAX_HELD_OUT: 30,
  ANALYSIS_REPLAY_MAX_REGRESSION: 20,
};
const reviews = plantedReviews({ planted: 90, plain: 170 });
let dataDir: string;
let app: App;
const fed: FedReview[] = [];

beforeAll(async () => {
  dataDir = await makeTempDir();
  app = await startTestApp({ ...settings, DATA_DIR: dataDir });
});
afterAll(() => app.close());

const analyze = (query = "", headers: Record<string, string> = adminHeaders) =>
  app.server.inject({ method: "POST", url: `/api/admin/analyze${query}`, headers });
const get = (url: string, headers: Record<string, string> = adminHeaders) =>
  app.server.inject({ method: "GET", url, headers });
const sentimentOf = (report: StoredReport) => report.tasks.find((task) => task.task === "sentiment")!;
const versionIds = async () =>
  (await app.database.db.selectFrom("prompt_versions").select("id").orderBy("id").execute()).map(
    (row) => row.id,
  );

describe("the analysis job over HTTP on the real engine", () => {
  it.each([
    ["POST", "/api/admin/analyze"],
    ["GET", "/api/admin/reports"],
    ["GET", "/api/admin/reports/20250101-030000-r1?format=md"],
  ] as const)("%s %s requires the admin token", async (method, url) => {
    for (const headers of [{}, { authorization: "Bearer not-the-admin-token-at-all" }]) {
      const res = await app.server.inject({ method, url, headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    }
  });

  it("with too few labelled samples says no change, with the reason, and replays nothing", async () => {
    fed.push(...(await feedReviews(app, reviews.slice(0, 60))));
    const res = await analyze();
    expect(res.statusCode).toBe(200);
    const outcome = res.json<AnalysisOutcome>();
    expect(outcome.status).toBe("completed");
    const sentiment = sentimentOf(outcome.report);
    expect(sentiment.metrics.current).toMatchObject({ promptVersionId: "sentiment@v1", labelled: 60 });
    expect(sentiment.recommendation).toEqual({
      decision: "no_change",
      reason: { en: "only 60 labelled samples, need 200", zh: "仅有 60 条带标注的样本，至少需要 200 条" },
    });
    expect(sentiment.candidates).toEqual([]);
    expect(outcome.report.run.replay.calls).toBe(0);
    expect(outcome.drafts).toEqual([]);
    expect(outcome.report.tasks.find((task) => task.task === "chat")!.recommendation.decision).toBe(
      "no_change",
    );
  });

  let full: AnalysisOutcome;

  it("finds the planted keyword with its direction and a candidate that addresses it; a concurrent run gets 409", async () => {
    fed.push(...(await feedReviews(app, reviews.slice(60))));
    const [one, two] = await Promise.all([analyze(), analyze()]);
    const statuses = [one!.statusCode, two!.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    const refused = one!.statusCode === 409 ? one! : two!;
    expect(refused.json()).toMatchObject({ error: { code: "CONFLICT" } });
    full = (one!.statusCode === 200 ? one! : two!).json<AnalysisOutcome>();
    expect(full.status).toBe("completed");

    const sentiment = sentimentOf(full.report);
    expect(sentiment.metrics.current).toMatchObject({ labelled: 260, errors: 90 });
    expect(sentiment.trigger.decision).toBe("create_draft");
    const top = sentiment.mining!.patterns[0]!;
    expect(top.text).toBe(plantedKeyword);
    // The direction is whatever the users' corrections of the planted reviews say most often.
    const planted = fed.filter((review) => review.planted);
    const towards = (gold: string) => planted.filter((review) => review.gold === gold).length;
    const expectedGold = towards("正面") >= towards("负面") ? "正面" : "负面";
    expect(top.dominantDirection).toMatchObject({
      predicted: expectedGold === "正面" ? "负面" : "正面",
      gold: expectedGold,
    });
    // A precondition of the fixture, not of the code: the tiny model's answers on these reviews are lopsided
    // enough (≥ 60% one way) for the rules strategy to write a keyword rule.
    expect(towards(expectedGold) / planted.length).toBeGreaterThanOrEqual(0.6);
    const rules = sentiment.candidates.find((entry) => entry.candidate.strategy === "rules")!;
    expect(rules.candidate.targetPatterns[0]).toBe(top.id);
    expect(rules.candidate.systemPrompt).toContain(`含有'${plantedKeyword}'的评论通常是'${expectedGold}'`);
    expect(top.examples.every((example) => example.match === plantedKeyword)).toBe(true);

    // Every candidate was replayed through the engine on the bounded, time-held-out sets.
    expect(sentiment.candidates.length).toBeGreaterThanOrEqual(2);
    for (const { replay } of sentiment.candidates) {
      expect(replay!.stats.heldOut.n).toBeGreaterThan(0);
      expect(replay!.stats.heldOut.n).toBeLessThanOrEqual(30);
      expect(replay!.stats.regression.n).toBeLessThanOrEqual(20);
      expect(replay!.stats.missingPredictions).toBe(0);
    }
    expect(full.report.run.replay.calls).toBeGreaterThan(0);
    expect(full.report.run.replay.failures).toBe(0);
    // Candidates were built only from examples older than the held-out ones they were scored on.
    expect(sentiment.mining!.includesHoldout).toBe(false);
    expect(sentiment.mining!.heldOutSize).toBeGreaterThan(0);

    const passing = sentiment.candidates.filter((entry) => entry.replay!.pass);
    expect(sentiment.recommendation.decision).toBe(passing.length > 0 ? "create_draft" : "no_change");
    if (passing.length === 0)
      expect(sentiment.recommendation.reason.en).toMatch(/no candidate passed the replay gate/);
    expect(full.drafts.map((draft) => draft.created)).toEqual(passing.length > 0 ? [true] : []);
  });

  it("a second run without new feedback is idempotent: same decision, same report, nothing new", async () => {
    const versionsBefore = await versionIds();
    const listedBefore = (await get("/api/admin/reports")).json<{ reports: unknown[] }>().reports;
    const again = (await analyze()).json<AnalysisOutcome>();
    expect(again.status).toBe("skipped");
    expect(again.reportId).toBe(full.reportId);
    expect(sentimentOf(again.report).recommendation).toEqual(sentimentOf(full.report).recommendation);
    expect(await versionIds()).toEqual(versionsBefore);
    expect((await get("/api/admin/reports")).json<{ reports: unknown[] }>().reports).toEqual(listedBefore);
  });

  it("without replay reports unscored candidates, saves nothing and keeps the watermark", async () => {
    const versionsBefore = await versionIds();
    const dry = (await analyze("?replay=false")).json<AnalysisOutcome>();
    expect(dry.status).toBe("completed");
    expect(dry.report.run.replay).toMatchObject({ enabled: false, calls: 0 });
    const sentiment = sentimentOf(dry.report);
    expect(sentiment.candidates.length).toBeGreaterThan(0);
    expect(sentiment.candidates.every((entry) => entry.replay === null)).toBe(true);
    expect(sentiment.recommendation.reason.en).toMatch(/none replayed/);
    expect(await versionIds()).toEqual(versionsBefore);
    // A run with replay still finds nothing new since the last replayed run.
    expect((await analyze()).json<AnalysisOutcome>()).toMatchObject({
      status: "skipped",
      reportId: full.reportId,
    });
  });

  it("lists the reports newest first and serves each as JSON, Markdown and HTML", async () => {
    const { reports } = (await get("/api/admin/reports")).json<{
      reports: {
        id: string;
        replayed: boolean;
        tasks: { task: string; decision: string }[];
        links: object;
      }[];
    }>();
    expect(reports).toHaveLength(3);
    expect(reports[1]).toMatchObject({ id: full.reportId, replayed: true });
    expect(reports[0]!.replayed).toBe(false);
    expect(reports[2]!.tasks).toContainEqual(
      expect.objectContaining({ task: "sentiment", decision: "no_change" }),
    );

    const json = await get(`/api/admin/reports/${full.reportId}?format=json`);
    expect(json.headers["content-type"]).toMatch(/^application\/json/);
    expect(json.json<StoredReport>()).toEqual(full.report);
    const markdown = await get(`/api/admin/reports/${full.reportId}?format=md`);
    expect(markdown.headers["content-type"]).toMatch(/^text\/markdown; charset=utf-8/);
    expect(markdown.body).toMatch(/^# Prompt 优化建议报告/);
    expect(markdown.body).toContain(plantedKeyword);
    expect(markdown.body).toContain(`报告 report: ${full.reportId}`);
    const html = await get(`/api/admin/reports/${full.reportId}?format=html`);
    expect(html.headers["content-type"]).toMatch(/^text\/html; charset=utf-8/);
    expect(html.body).toMatch(/^<!doctype html>/);
    expect(html.body).toContain(`<mark>${plantedKeyword}</mark>`);
    expect(html.body).toMatch(/<h2>运行信息 Run<\/h2>[\s\S]*<\/body><\/html>\s*$/);
    expect((await get(`/api/admin/reports/${full.reportId}`)).body).toBe(json.body);
  });

  it.each([
    ["/api/admin/reports/20200101-000000-r999", 404, "NOT_FOUND"],
    ["/api/admin/reports/..%2F..%2Fpromptloop.sqlite", 400, "VALIDATION_FAILED"],
    ["/api/admin/reports/20200101-000000-r1?format=pdf", 400, "VALIDATION_FAILED"],
    ["/api/admin/reports?limit=0", 400, "VALIDATION_FAILED"],
  ])("GET %s → %i %s", async (url, status, code) => {
    const res = await get(url);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ error: { code } });
  });

  it("the same history below the threshold says no change, with the reason", async () => {
    await app.close();
    app = await startTestApp({ ...settings, DATA_DIR: dataDir, ANALYSIS_ERROR_RATE_THRESHOLD: 0.5 });
    const outcome = (await analyze()).json<AnalysisOutcome>();
    // Other settings make a different decision possible, so the run is not skipped.
    expect(outcome.status).toBe("completed");
    const sentiment = sentimentOf(outcome.report);
    expect(sentiment.recommendation.decision).toBe("no_change");
    expect(sentiment.recommendation.reason.en).toMatch(
      /^error rate 34\.6% \(95% CI [\d.]+%–[\d.]+%\) is not above the 50\.0% threshold$/,
    );
    expect(sentiment.recommendation.reason.zh).toMatch(/未超过阈值 50\.0%/);
    expect(sentiment.candidates).toEqual([]);
    // The miner still reports what it sees.
    expect(sentiment.mining!.patterns[0]!.text).toBe(plantedKeyword);
  });
});
