import { describe, expect, it } from "vitest";
import { plantedReviews, plantedRuleModel } from "../analysis/planted-reviews.js";
import { createTestServices } from "../../src/test-services.js";
import type { RawConfig } from "../../src/config.js";
import type { SuggestionReport } from "../../src/analysis/core/report/suggestion-report.js";

/**
 * Issue 17 §1 as an attacker: one session posting 1,000 corrections must not be able to make the loop draft a
 * candidate, nor start a canary with evidence from a handful of sessions. Each test runs the same attack with the
 * guard switched off first, to show the attack works without it (so the guard is what stops it).
 */
const other = (label: string) => (label === "正面" ? "负面" : "正面");

/**
 * 170 honest readers each confirm one plain review; `sessionOf(n)` sends the n-th of 1,000 planted reviews and
 * corrects it to the opposite of what the model said. Per-minute rate limits are off: the attacker is patient.
 */
async function attack(config: Partial<RawConfig>, sessionOf: (n: number) => string) {
  const services = await createTestServices({
    backend: plantedRuleModel(),
    config: { AUTO_START_CANARY: "true", FEEDBACK_RATE_LIMIT_PER_MINUTE: "0", ...config },
  });
  const honest = plantedReviews({ planted: 0, plain: 170, seed: 3 });
  for (const [index, review] of honest.entries()) {
    const answer = await services.tasks!.classify({
      task: "sentiment",
      text: review.text,
      sessionId: `reader-${index}`,
    });
    await services.feedback.submit({ ...answer, type: "label_confirm", correct: true });
  }
  const planted = plantedReviews({ planted: 1000, plain: 0, seed: 4 });
  for (const [n, review] of planted.entries()) {
    const answer = await services.tasks!.classify({
      task: "sentiment",
      text: review.text,
      sessionId: sessionOf(n),
    });
    const receipt = await services.feedback.submit({
      interactionId: answer.interactionId,
      feedbackToken: answer.feedbackToken,
      type: "label_correct",
      label: other(answer.label),
    });
    expect(receipt.duplicate).toBe(false);
  }
  const outcome = await services.analysis.run({ trigger: "api" });
  const report = JSON.parse(await services.analysis.readReport(outcome.reportId, "json")) as SuggestionReport;
  const markdown = await services.analysis.readReport(outcome.reportId, "md");
  const sentiment = report.tasks.find((task) => task.task === "sentiment")!;
  const experiments = await services.rollout.listExperiments({ task: "sentiment" });
  await services.close();
  return { outcome, sentiment, experiments, markdown };
}

describe("one session steering the loop", () => {
  it("drafts and starts a canary when nothing limits a session's share (the attack, unguarded)", async () => {
    const { outcome, experiments } = await attack(
      { FEEDBACK_MAX_SESSION_SHARE: "1", AUTO_START_CANARY_MIN_SESSIONS: "1" },
      () => "attacker",
    );
    expect(outcome.drafts).toMatchObject([{ versionId: "sentiment@v2", created: true }]);
    expect(experiments).toMatchObject([{ candidate: "sentiment@v2", status: "running" }]);
  }, 120_000);

  it("can't trigger a draft from one session: its 1,000 corrections count for its share, and the report flags it", async () => {
    const { outcome, sentiment, experiments, markdown } = await attack({}, () => "attacker");
    expect(outcome.drafts).toEqual([]);
    expect(experiments).toEqual([]);
    expect(sentiment.recommendation.decision).not.toBe("create_draft");
    expect(sentiment.sessions.maxShare).toBe(0.1);
    const [capped, ...others] = sentiment.sessions.capped;
    expect(others).toEqual([]);
    expect(capped).toMatchObject({ offered: 1000 });
    // The readable report names the session (by its hash) and what it was held to.
    expect(markdown).toMatch(
      new RegExp(
        `capped session\\s*\\|\\s*${capped!.sessionHash}\\s*\\|\\s*${capped!.counted} of 1000 labels counted`,
      ),
    );
    // The attacker holds at most 10% of what counted: 170 honest labels allow it 18 of its own.
    expect(capped!.counted).toBeLessThanOrEqual(Math.ceil(0.1 * (170 + capped!.counted)));
    expect(sentiment.sessions).toMatchObject({ distinct: 171, errorSessions: 1 });
  }, 120_000);

  it("drafts, but starts no canary, when the mistakes were reported by fewer than AUTO_START_CANARY_MIN_SESSIONS sessions", async () => {
    // Five sock puppets, with the share cap off so that their corrections do make a draft; the default minimum is 10.
    const { outcome, sentiment, experiments } = await attack(
      { FEEDBACK_MAX_SESSION_SHARE: "1" },
      (n) => `puppet-${n % 5}`,
    );
    expect(outcome.drafts).toMatchObject([{ versionId: "sentiment@v2", created: true }]);
    expect(sentiment.sessions).toMatchObject({ distinct: 175, errorSessions: 5 });
    expect(experiments).toEqual([]);
  }, 120_000);
});
