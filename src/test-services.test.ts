import { describe, expect, it } from "vitest";
import { plantedReviews, plantedRuleModel } from "../test/analysis/planted-reviews.js";
import { createTestServices } from "./test-services.js";

describe("createTestServices", () => {
  it("serves the bundled tasks on the fake model and records interactions in memory", async () => {
    const services = await createTestServices({ now: () => Date.UTC(2026, 0, 1) });
    const outcome = await services.tasks!.classify({ task: "sentiment", text: "房间很干净" });
    expect(outcome).toMatchObject({ label: "正面", confidence: 0.9, promptVersion: "sentiment@v1" });
    expect(services.backend.classifyCalls).toHaveLength(1);
    const stored = await services.stores.interactions.get(outcome.interactionId);
    expect(stored).toMatchObject({
      task: "sentiment",
      label: "正面",
      status: "ok",
      createdAt: Date.UTC(2026, 0, 1),
    });
  });

  it("wires the analysis to the rollout as createServices does: a draft that passes the gate starts its canary", async () => {
    const services = await createTestServices({
      backend: plantedRuleModel(),
      config: { AUTO_START_CANARY: "true" },
    });
    const other = (label: string) => (label === "正面" ? "负面" : "正面");
    for (const [index, review] of plantedReviews({ planted: 90, plain: 170 }).entries()) {
      const { interactionId, label, feedbackToken } = await services.tasks!.classify({
        task: "sentiment",
        text: review.text,
        sessionId: `reader-${index}`,
      });
      await services.feedback.submit(
        review.planted
          ? { interactionId, feedbackToken, type: "label_correct", label: other(label) }
          : { interactionId, feedbackToken, type: "label_confirm", correct: true },
      );
    }
    const outcome = await services.analysis.run({ trigger: "api" });
    expect(outcome.drafts).toMatchObject([{ versionId: "sentiment@v2", created: true }]);
    expect(await services.analysis.readReport(outcome.reportId, "md")).toContain("sentiment@v2");
    const [experiment, ...others] = await services.rollout.listExperiments({ task: "sentiment" });
    expect(others).toEqual([]);
    expect(experiment).toMatchObject({
      control: "sentiment@v1",
      candidate: "sentiment@v2",
      status: "running",
      startedBy: "analysis",
    });
    await services.close();
  });
});
