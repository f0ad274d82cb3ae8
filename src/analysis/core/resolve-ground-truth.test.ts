import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveGroundTruth } from "./resolve-ground-truth.js";
import type { EventSpec } from "./test-support/interaction-builder.js";
import { buildInteraction, correction, thumbsDown, thumbsUp } from "./test-support/interaction-builder.js";

const binary = ["正面", "负面"];
const threeWay = ["正面", "负面", "中性"];

describe("resolveGroundTruth", () => {
  it.each([
    // name, labels, predicted, events, gold, correct, source, conflict
    ["no feedback", binary, "正面", [], null, null, "none", false],
    ["👍", binary, "正面", [thumbsUp], "正面", true, "thumbs_up", false],
    ["👎 binary → other label", binary, "正面", [thumbsDown], "负面", false, "thumbs_down_binary", false],
    [
      "👎 three labels → gold unknown",
      threeWay,
      "正面",
      [thumbsDown],
      null,
      false,
      "thumbs_down_unknown",
      false,
    ],
    ["correction", binary, "正面", [correction("负面")], "负面", false, "correction", false],
    [
      "correction to the predicted label confirms",
      binary,
      "正面",
      [correction("正面")],
      "正面",
      true,
      "correction",
      false,
    ],
    [
      "👍 then correction: correction wins",
      binary,
      "正面",
      [thumbsUp, correction("负面")],
      "负面",
      false,
      "correction",
      true,
    ],
    [
      "correction then 👍: correction still wins",
      binary,
      "正面",
      [correction("负面"), thumbsUp],
      "负面",
      false,
      "correction",
      true,
    ],
    [
      "👎 then matching correction agrees",
      binary,
      "正面",
      [thumbsDown, correction("负面")],
      "负面",
      false,
      "correction",
      false,
    ],
    [
      "two corrections: latest wins",
      threeWay,
      "正面",
      [correction("负面"), correction("中性")],
      "中性",
      false,
      "correction",
      true,
    ],
    [
      "👍 then 👎: latest thumb wins",
      binary,
      "正面",
      [thumbsUp, thumbsDown],
      "负面",
      false,
      "thumbs_down_binary",
      true,
    ],
    [
      "👎 then 👍: latest thumb wins",
      binary,
      "正面",
      [thumbsDown, thumbsUp],
      "正面",
      true,
      "thumbs_up",
      true,
    ],
    [
      "invalid correction ignored, thumb used",
      binary,
      "正面",
      [thumbsUp, correction("中性")],
      "正面",
      true,
      "thumbs_up",
      false,
    ],
    ["only invalid correction", binary, "正面", [correction("好评")], null, null, "none", false],
    ["👍 without a prediction is ignored", binary, null, [thumbsUp], null, null, "none", false],
    [
      "👎 without a prediction: wrong, gold unknown",
      binary,
      null,
      [thumbsDown],
      null,
      false,
      "thumbs_down_unknown",
      false,
    ],
    [
      "correction without a prediction",
      binary,
      null,
      [correction("负面")],
      "负面",
      false,
      "correction",
      false,
    ],
    [
      "rating only is not label feedback",
      binary,
      "正面",
      [{ type: "rating", payload: { score: 2 } }],
      null,
      null,
      "none",
      false,
    ],
  ] as const)("%s", (_name, labels, predicted, events, gold, correct, source, conflict) => {
    const item = buildInteraction({
      predictedLabel: predicted,
      events: [...(events as readonly EventSpec[])],
    });
    const truth = resolveGroundTruth(item, labels);
    expect({
      gold: truth.gold,
      correct: truth.correct,
      source: truth.source,
      conflict: truth.conflict,
    }).toEqual({
      gold,
      correct,
      source,
      conflict,
    });
  });

  it("says why an invalid label was ignored", () => {
    const truth = resolveGroundTruth(buildInteraction({ events: [correction("好评")] }), binary);
    expect(truth.ignoredEvents).toBe(1);
    expect(truth.reason).toContain('unknown label "好评"');
  });

  it("ignores label feedback on a generator task", () => {
    const truth = resolveGroundTruth(
      buildInteraction({ predictedLabel: null, events: [thumbsUp] }),
      undefined,
    );
    expect(truth).toMatchObject({ source: "none", ignoredEvents: 1 });
  });

  it("lets an undo drop the earlier verdict and correction; what follows it counts", () => {
    const undo: EventSpec = { type: "label_confirm", payload: { correct: false, withdrawn: true } };
    const undone = resolveGroundTruth(
      buildInteraction({ events: [thumbsDown, correction("负面"), undo] }),
      binary,
    );
    expect(undone).toMatchObject({ gold: null, correct: null, source: "none" });
    expect(undone.reason).toContain("an undo withdrew the earlier label feedback");
    const changed = resolveGroundTruth(
      buildInteraction({ events: [thumbsDown, correction("负面"), undo, thumbsUp] }),
      binary,
    );
    expect(changed).toMatchObject({ gold: "正面", correct: true, source: "thumbs_up", conflict: false });
  });

  it("keeps the reasons attached to the winning correction", () => {
    const truth = resolveGroundTruth(
      buildInteraction({ events: [correction("负面", ["mixed"]), correction("负面", ["sarcasm"])] }),
      binary,
    );
    expect(truth.userReasons).toEqual(["sarcasm"]);
  });

  it("the resolved gold is always a task label or null, and a known gold decides correctness", () => {
    const eventArb = fc.oneof(
      fc.boolean().map((correct): EventSpec => ({ type: "label_confirm", payload: { correct } })),
      fc.constantFrom("正面", "负面", "中性", "其他").map((label): EventSpec => correction(label)),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(binary, threeWay),
        fc.constantFrom("正面", "负面", null),
        fc.array(eventArb, { maxLength: 6 }),
        (labels, predicted, events) => {
          const truth = resolveGroundTruth(buildInteraction({ predictedLabel: predicted, events }), labels);
          if (truth.gold !== null) {
            expect(labels).toContain(truth.gold);
            expect(truth.correct).toBe(truth.gold === predicted);
          }
          if (truth.source === "none") expect(truth.correct).toBeNull();
        },
      ),
    );
  });
});
