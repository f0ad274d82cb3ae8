import { describe, expect, it } from "vitest";
import type { InteractionWithFeedback } from "./analysis-input.js";
import type { AnalysisRunOptions } from "./analyze-feedback.js";
import { createAnalysisRun } from "./analyze-feedback.js";
import { buildCandidates } from "./candidates/build-candidates.js";
import type { CurrentPrompt } from "./candidates/candidate-prompt.js";
import { decideReplayGate } from "./replay-gate.js";
import { buildReplaySets } from "./replay-sets.js";
import { buildReport } from "./report/build-report.js";
import { fakeReplay } from "./test-support/fake-classifier.js";
import { buildInteraction, correction } from "./test-support/interaction-builder.js";
import { plantedKeywordFixture } from "./test-support/planted-keyword-fixture.js";

const tasks = [
  { task: "sentiment", labels: ["正面", "负面"], currentVersionId: "sentiment@v1" },
  { task: "chat" },
];
const v1: CurrentPrompt = {
  id: "sentiment@v1",
  systemPrompt: "你是一个冷酷的情感分析师。输出只能是'正面'或'负面'。",
};
const ranking = { minSupport: 10 };

function analyse(items: readonly InteractionWithFeedback[], options: Partial<AnalysisRunOptions> = {}) {
  const run = createAnalysisRun({ tasks, ranking, ...options });
  for (const item of items) run.add(item);
  return run.finish();
}

/** The whole core, as the I/O shell will drive it, with a fake model for the replay. */
function analyseAndReport(
  items: readonly InteractionWithFeedback[],
  options: Partial<AnalysisRunOptions> = {},
) {
  const result = analyse(items, options);
  const sentiment = result.tasks.find((task) => task.task === "sentiment")!;
  const built = sentiment.trigger.decision === "create_draft" ? buildCandidates(sentiment, v1) : undefined;
  const sets = buildReplaySets(sentiment);
  const current = fakeReplay(v1, sets.inputs);
  const replays = Object.fromEntries(
    (built?.candidates ?? []).map((candidate) => [
      candidate.strategy,
      decideReplayGate({
        ...sets,
        current,
        candidate: fakeReplay(candidate, sets.inputs),
        targetPatterns: candidate.targetPatterns,
      }),
    ]),
  );
  return buildReport({
    analysis: result,
    generatedAt: Date.UTC(2025, 5, 1),
    tasks: { sentiment: { ...(built === undefined ? {} : { candidates: built }), replays } },
  });
}

describe("analysis pipeline", () => {
  const planted = plantedKeywordFixture({ plantedErrors: 80 });

  it("finds the planted keyword with its direction, drafts the rules candidate that targets it, and recommends it", () => {
    const report = analyseAndReport(planted);
    const sentiment = report.tasks.find((task) => task.task === "sentiment")!;
    const top = sentiment.mining!.patterns[0]!;
    expect(top.text).toBe("还行");
    expect(top.dominantDirection).toMatchObject({ predicted: "正面", gold: "负面" });
    expect(top.examples.every((example) => example.match === "还行")).toBe(true);
    expect(sentiment.trigger.decision).toBe("create_draft");
    const rules = sentiment.candidates.find((entry) => entry.candidate.strategy === "rules")!;
    expect(rules.candidate.targetPatterns[0]).toBe("ngram:还行");
    expect(rules.candidate.systemPrompt).toContain("含有'还行'的评论通常是'负面'");
    expect(rules.replay!.pass).toBe(true);
    expect(sentiment.recommendation).toMatchObject({
      decision: "create_draft",
      versionId: "sentiment@v2",
      candidate: "rules",
    });
    expect(sentiment.confidence.score).toBeGreaterThan(0.5);
  });

  it("says no change, with the reason, when there are too few samples", () => {
    const report = analyseAndReport(planted.slice(0, 37));
    const sentiment = report.tasks.find((task) => task.task === "sentiment")!;
    expect(sentiment.recommendation).toEqual({
      decision: "no_change",
      reason: { en: "only 37 labelled samples, need 200", zh: "仅有 37 条带标注的样本，至少需要 200 条" },
    });
    expect(sentiment.candidates).toEqual([]);
  });

  it("says no change, with the reason, below the threshold", () => {
    const report = analyseAndReport(
      plantedKeywordFixture({ plantedErrors: 10, noiseErrors: 4, correctPerLabel: 300 }),
    );
    const sentiment = report.tasks.find((task) => task.task === "sentiment")!;
    expect(sentiment.recommendation.decision).toBe("no_change");
    expect(sentiment.recommendation.reason.en).toMatch(
      /error rate [\d.]+% .* is not above the 15\.0% threshold/,
    );
    // The miner still reports what it sees, even when no change is proposed.
    expect(sentiment.mining!.patterns[0]!.text).toBe("还行");
  });

  it("is idempotent: the same input gives the same report", () => {
    expect(analyseAndReport(planted)).toEqual(analyseAndReport(planted));
  });

  it("uses the watermark: no new labelled feedback means no change", () => {
    const maxEventId = Math.max(...planted.flatMap((item) => item.events.map((event) => event.id)));
    const first = analyse(planted);
    expect(first.watermark).toEqual({ previous: null, next: maxEventId });
    const again = analyse(planted, { sinceEventId: maxEventId });
    expect(again.tasks[0]!.trigger.decision).toBe("no_change");
    expect(again.tasks[0]!.trigger.reason.en).toContain("no new labelled feedback");
    const late = buildInteraction({
      predictedLabel: "正面",
      input: "还行吧",
      createdAt: Date.UTC(2025, 4, 1),
      events: [correction("负面")],
    });
    const withNew = analyse([...planted, late], { sinceEventId: maxEventId });
    expect(withNew.tasks[0]!.newLabelled).toBe(1);
    expect(withNew.tasks[0]!.trigger.decision).toBe("create_draft");
  });

  it("never builds candidates from held-out examples", () => {
    const cutoff = planted[Math.floor(planted.length * 0.7)]!.interaction.createdAt;
    const result = analyse(planted, { holdoutFrom: cutoff });
    const sentiment = result.tasks[0]!;
    expect(sentiment.examples.pool.every((example) => example.createdAt < cutoff)).toBe(true);
    expect(sentiment.examples.heldOut.every((example) => example.createdAt >= cutoff)).toBe(true);
    expect(sentiment.examples.heldOut.length).toBeGreaterThan(50);
    expect(sentiment.examples.miningIncludesHoldout).toBe(false);
    expect(sentiment.mining!.documents).toBe(
      planted.filter((item) => item.interaction.createdAt < cutoff).length,
    );
    const split = analyse(planted).tasks[0]!.examples;
    expect(split.miningIncludesHoldout).toBe(true);
    expect(split.pool.every((example) => example.createdAt < split.cutoff!)).toBe(true);
  });

  it("reports generator tasks with the quality trigger, and no classifier mining", () => {
    const chat = buildInteraction({
      task: "chat",
      promptVersionId: "chat@v1",
      predictedLabel: null,
      events: [{ type: "rating", payload: { score: 5 } }],
    });
    const report = buildReport({ analysis: analyse([chat]), generatedAt: 0 });
    const chatReport = report.tasks.find((task) => task.task === "chat")!;
    expect(chatReport.metrics.current).toMatchObject({ ratings: 1, meanRating: 5 });
    expect(chatReport.mining).toBeNull();
    expect(chatReport.recommendation.decision).toBe("no_change");
    expect(chatReport.recommendation.reason.en).toContain("only 1 scored turns");
  });
});
