import { describe, expect, it } from "vitest";
import { answersDiffer, summarisePlayground, type PlaygroundRow } from "./playground-summary.js";

const row = (
  baseline: PlaygroundRow["baseline"],
  candidate: PlaygroundRow["candidate"],
  expected: string | null = null,
): PlaygroundRow => ({
  index: 0,
  input: "x",
  expected,
  baseline,
  candidate,
  differ: answersDiffer(baseline, candidate),
});

const failed = { error: { code: "ENGINE_TIMEOUT", message: "slow" } };

describe("answersDiffer", () => {
  it("compares labels, and replies by their trimmed text; a failed side differs from nothing", () => {
    expect(answersDiffer({ label: "正面", confidence: 0.9 }, { label: "负面", confidence: 0.9 })).toBe(true);
    expect(answersDiffer({ label: "正面", confidence: 0.6 }, { label: "正面", confidence: 0.9 })).toBe(false);
    expect(answersDiffer({ reply: "好的 " }, { reply: "好的" })).toBe(false);
    expect(answersDiffer({ reply: "好的" }, { reply: "不行" })).toBe(true);
    expect(answersDiffer(failed, { label: "正面", confidence: 0.9 })).toBe(false);
  });
});

describe("summarisePlayground", () => {
  it("counts agreement over the rows both sides answered, and accuracy over the labelled ones", () => {
    const summary = summarisePlayground([
      row({ label: "正面", confidence: 0.9 }, { label: "负面", confidence: 0.8 }, "负面"),
      row({ label: "负面", confidence: 0.9 }, { label: "负面", confidence: 0.7 }, "负面"),
      row({ label: "正面", confidence: 0.9 }, { label: "正面", confidence: 0.7 }),
      row(failed, { label: "正面", confidence: 0.7 }, "负面"),
    ]);
    expect(summary).toEqual({
      total: 4,
      compared: 3,
      agreed: 2,
      agreement: 2 / 3,
      failed: 1,
      accuracy: {
        labelled: 3,
        baseline: { correct: 1, answered: 2, rate: 0.5 },
        candidate: { correct: 2, answered: 3, rate: 2 / 3 },
      },
    });
  });

  it("has no accuracy for replies or unlabelled inputs, and no agreement when nothing was compared", () => {
    expect(summarisePlayground([row({ reply: "a" }, { reply: "b" }, "a")]).accuracy).toBeNull();
    expect(
      summarisePlayground([row({ label: "正面", confidence: 1 }, { label: "正面", confidence: 1 })]).accuracy,
    ).toBeNull();
    expect(summarisePlayground([row(failed, failed)])).toMatchObject({
      compared: 0,
      agreement: null,
      failed: 1,
    });
    expect(summarisePlayground([])).toMatchObject({ total: 0, agreement: null, accuracy: null });
  });
});
