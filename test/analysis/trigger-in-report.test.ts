import { describe, expect, it } from "vitest";
import type { StoredReport } from "../../src/analysis/job/stored-report.js";
import { createTestServices } from "../../src/test-services.js";

/**
 * 300 labelled sentiment answers, 54 of them corrected: an observed error rate of 18.0%. Under the default rule the
 * lower Wilson bound (14.1%) is below 15%, and the report says how many more samples at 18% would fire (245: the
 * bound of 18% clears 15% from 545 samples on, hand-computed in src/statistics/wilson-trials-to-exceed.test.ts).
 */
async function reportAt18Percent(trigger: "lower-bound" | "point") {
  const services = await createTestServices({ config: { ANALYSIS_TRIGGER: trigger } });
  for (let i = 0; i < 300; i += 1) {
    const { interactionId, label, feedbackToken } = await services.tasks!.classify({
      task: "sentiment",
      text: `评论 ${i}`,
      sessionId: `reader-${i}`,
    });
    await services.feedback.submit(
      i < 54
        ? { interactionId, feedbackToken, type: "label_correct", label: label === "正面" ? "负面" : "正面" }
        : { interactionId, feedbackToken, type: "label_confirm", correct: true },
    );
  }
  const outcome = await services.analysis.run({ trigger: "api" });
  const read = (format: "json" | "md" | "html") => services.analysis.readReport(outcome.reportId, format);
  const report = {
    json: JSON.parse(await read("json")) as StoredReport,
    md: await read("md"),
    html: await read("html"),
  };
  await services.close();
  return report;
}

describe("the analysis report explains the trigger", () => {
  it("states the observed rate, the bound and the samples to fire, in zh and en, in every format", async () => {
    const { json, md, html } = await reportAt18Percent("lower-bound");
    const trigger = json.tasks.find((task) => task.task === "sentiment")!.trigger;
    expect(trigger.decision).toBe("no_change");
    expect(trigger.stats).toMatchObject({
      labelled: 300,
      errors: 54,
      rule: "lower-bound",
      samplesToFire: 245,
    });
    expect(trigger.stats.errorRateLow).toBeCloseTo(0.1407, 4);
    for (const text of [md, html]) {
      expect(text).toContain("Observed error rate 18.0% (54 of 300 labelled); 95% Wilson lower bound 14.1%");
      expect(text).toContain("If the rate stays at 18.0%, 245 more labelled samples (545 in all) fire it.");
      expect(text).toContain("观测错误率 18.0%（300 条带标注样本中 54 条错误）；95% Wilson 置信下限 14.1%");
      expect(text).toContain("再有 245 条带标注样本（共 545 条）即会触发");
      expect(text).toContain("error-rate threshold 0.15 (lower-bound)");
    }
  });

  it("ANALYSIS_TRIGGER=point fires on the same feedback, and says so", async () => {
    const { json, md } = await reportAt18Percent("point");
    const trigger = json.tasks.find((task) => task.task === "sentiment")!.trigger;
    expect(trigger).toMatchObject({ decision: "create_draft", stats: { rule: "point", samplesToFire: 0 } });
    expect(md).toContain("触发条件 Trigger (point): **create_draft**");
    expect(md).toContain("Today's observed rate meets the rule now.");
  });
});
