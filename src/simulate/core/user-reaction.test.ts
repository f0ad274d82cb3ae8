import { describe, expect, it } from "vitest";
import { createSeededRandom } from "../../statistics/seeded-random.js";
import { reactToAnswer, spammerReaction } from "./user-reaction.js";

const labels = ["正面", "负面"];
const always = { feedbackRate: 1, correctionRate: 1, wrongFeedbackRate: 0, exitAfterWrongRate: 1 };

describe("reactToAnswer", () => {
  it("confirms a right answer and never leaves after it", () => {
    const reaction = reactToAnswer(
      { gold: "正面", predicted: "正面", labels },
      always,
      createSeededRandom(1),
    );
    expect(reaction).toEqual({
      feedback: { type: "label_confirm", correct: true },
      mistaken: false,
      exits: false,
    });
  });

  it("corrects a wrong answer to the gold label, or gives 👎 without the correction rate, and may leave", () => {
    const wrong = { gold: "负面", predicted: "正面", labels };
    expect(reactToAnswer(wrong, always, createSeededRandom(1))).toEqual({
      feedback: { type: "label_correct", label: "负面" },
      mistaken: false,
      exits: true,
    });
    expect(reactToAnswer(wrong, { ...always, correctionRate: 0 }, createSeededRandom(1)).feedback).toEqual({
      type: "label_confirm",
      correct: false,
    });
  });

  it("gets it backwards when mistaken: 👍 on a wrong answer, a wrong correction on a right one", () => {
    const mistaken = { ...always, wrongFeedbackRate: 1 };
    const onWrong = reactToAnswer(
      { gold: "负面", predicted: "正面", labels },
      mistaken,
      createSeededRandom(1),
    );
    expect(onWrong).toMatchObject({ feedback: { type: "label_confirm", correct: true }, mistaken: true });
    const onRight = reactToAnswer(
      { gold: "正面", predicted: "正面", labels },
      mistaken,
      createSeededRandom(1),
    );
    expect(onRight).toMatchObject({ feedback: { type: "label_correct", label: "负面" }, mistaken: true });
  });

  it("gives feedback, corrections, mistakes and exits at the configured rates", () => {
    const random = createSeededRandom(42);
    const rates = { feedbackRate: 0.2, correctionRate: 0.5, wrongFeedbackRate: 0.1, exitAfterWrongRate: 0.3 };
    const runs = 20_000;
    let feedback = 0;
    let corrections = 0;
    let mistaken = 0;
    let exits = 0;
    for (let i = 0; i < runs; i++) {
      const reaction = reactToAnswer({ gold: "负面", predicted: "正面", labels }, rates, random);
      if (reaction.feedback) feedback++;
      if (reaction.feedback?.type === "label_correct") corrections++;
      if (reaction.mistaken) mistaken++;
      if (reaction.exits) exits++;
    }
    expect(feedback / runs).toBeCloseTo(0.2, 1);
    expect(mistaken / feedback).toBeCloseTo(0.1, 1);
    // Corrections come from users who are not mistaken (the mistaken ones give 👍 on a wrong answer).
    expect(corrections / feedback).toBeCloseTo(0.9 * 0.5, 1);
    expect(exits / runs).toBeCloseTo(0.3, 1);
  });
});

describe("spammerReaction", () => {
  it("corrects everything to its label, mistaken when the gold label differs", () => {
    expect(spammerReaction("负面", "正面")).toEqual({
      feedback: { type: "label_correct", label: "负面" },
      mistaken: true,
      exits: false,
    });
    expect(spammerReaction("负面", "负面").mistaken).toBe(false);
  });
});
