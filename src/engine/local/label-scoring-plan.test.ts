import fc from "fast-check";
import type { Token } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { chooseLabel, planLabelScoring } from "./label-scoring-plan.js";

/** Token ids are branded numbers; tests spell them as plain numbers. */
const tt = (...lists: number[][]) => lists.map((ids) => ids as Token[]);
const endOfTurn = 99 as Token;

describe("planLabelScoring", () => {
  it.each([
    {
      name: "single-token labels",
      labels: ["正面", "负面"],
      tokens: tt([10], [20]),
      expected: {
        labelTokens: tt([10], [20]),
        firstTokens: [10, 20],
        terminated: false,
        branches: { paths: [], rows: [] },
      },
    },
    {
      name: "labels of different lengths sharing a first token",
      labels: ["正面评论", "正常", "负面"],
      tokens: tt([10, 11], [10, 12], [20]),
      expected: {
        labelTokens: tt([10, 11], [10, 12], [20]),
        firstTokens: [10, 20],
        terminated: false,
        // Both two-token labels are read at the one row after 10.
        branches: { paths: [[10]], rows: [{ path: 0, index: 0, targets: [11, 12] }] },
      },
    },
    {
      name: "one label a prefix of another: every label ends with end-of-turn",
      labels: ["好", "好评"],
      tokens: tt([5], [5, 6]),
      expected: {
        labelTokens: tt([5, 99], [5, 6, 99]),
        firstTokens: [5],
        terminated: true,
        // The path 5 is the start of 5 6, so one path gives both rows.
        branches: {
          paths: [[5, 6]],
          rows: [
            { path: 0, index: 0, targets: [99, 6] },
            { path: 0, index: 1, targets: [99] },
          ],
        },
      },
    },
  ])("$name", ({ labels, tokens, expected }) => {
    expect(planLabelScoring(labels, tokens, endOfTurn)).toEqual(expected);
  });

  it.each([
    { labels: ["a"], tokens: tt([1]), message: /at least two labels/ },
    { labels: ["a", "b"], tokens: tt([1], []), message: /tokenizes to nothing/ },
    { labels: ["a", "b"], tokens: tt([1, 2], [1, 2]), message: /tokenize identically/ },
  ])("rejects $labels tokenized as $tokens", ({ labels, tokens, message }) => {
    expect(() => planLabelScoring(labels, tokens, endOfTurn)).toThrow(message);
  });

  it("needs an end-of-turn token to tell overlapping labels apart", () => {
    expect(() => planLabelScoring(["好", "好评"], tt([5], [5, 6]), null)).toThrow(/no end-of-turn/);
  });
});

const probability = fc.double({ min: 1e-12, max: 1, noNaN: true });
const labelScores = fc.array(
  fc.record({ first: probability, rest: fc.array(probability, { maxLength: 3 }) }),
  {
    minLength: 2,
    maxLength: 6,
  },
);

describe("chooseLabel", () => {
  it("gives P(label tokens) / Σ P(each label's tokens)", () => {
    const choice = chooseLabel([
      { first: 0.6, rest: [0.5] },
      { first: 0.2, rest: [] },
      { first: 0.1, rest: [0.9, 0.5] },
    ]);
    const raw = [0.3, 0.2, 0.045];
    const total = raw.reduce((a, b) => a + b);
    expect(choice.index).toBe(0);
    choice.probabilities.forEach((p, i) => expect(p).toBeCloseTo(raw[i]! / total, 12));
  });

  it("breaks ties in favour of the earlier label", () => {
    expect(
      chooseLabel([
        { first: 0.4, rest: [] },
        { first: 0.4, rest: [] },
      ]).index,
    ).toBe(0);
  });

  it("stays defined when every label is astronomically unlikely", () => {
    const choice = chooseLabel([
      { first: 0, rest: [] },
      { first: 1e-320, rest: [1e-300] },
    ]);
    expect(choice.probabilities.every(Number.isFinite)).toBe(true);
    expect(choice.probabilities.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
  });

  it("returns a distribution whose largest entry is the chosen label", () => {
    fc.assert(
      fc.property(labelScores, (scores) => {
        const { index, probabilities } = chooseLabel(scores);
        expect(probabilities.reduce((a, b) => a + b)).toBeCloseTo(1, 9);
        expect(probabilities.every((p) => p >= 0 && p <= 1)).toBe(true);
        expect(probabilities[index]).toBe(Math.max(...probabilities));
      }),
    );
  });

  it("does not depend on the normaliser shared by all first tokens", () => {
    fc.assert(
      fc.property(labelScores, fc.double({ min: 1e-6, max: 1, noNaN: true }), (scores, scale) => {
        const scaled = scores.map((s) => ({ ...s, first: s.first * scale }));
        const a = chooseLabel(scores);
        const b = chooseLabel(scaled);
        a.probabilities.forEach((p, i) => expect(b.probabilities[i]).toBeCloseTo(p, 9));
      }),
    );
  });
});
