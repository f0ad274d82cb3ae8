import type { Token } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { matchLabel, planLabelGrammar } from "./label-grammar.js";

/** Token ids are branded numbers; tests spell them as plain numbers. */
const t = (...ids: number[]) => ids as Token[];
const tt = (...lists: number[][]) => lists.map((ids) => t(...ids));

describe("planLabelGrammar", () => {
  it("allows exactly the labels' token sequences", () => {
    const plan = planLabelGrammar(["正面", "负面"], tt([10], [20, 21]), 99 as Token);
    expect(plan.grammar).toBe("root ::= <[10]> | <[20]> <[21]>");
    expect(plan.terminated).toBe(false);
    expect(matchLabel(plan, t(10))).toBe(0);
    expect(matchLabel(plan, t(20))).toBeUndefined();
    expect(matchLabel(plan, t(20, 21))).toBe(1);
  });

  it("ends every alternative with end-of-turn when one label is a prefix of another", () => {
    const plan = planLabelGrammar(["正", "正面"], tt([5], [5, 6]), 99 as Token);
    expect(plan.grammar).toBe("root ::= <[5]> <[99]> | <[5]> <[6]> <[99]>");
    expect(matchLabel(plan, t(5))).toBeUndefined();
    expect(matchLabel(plan, t(5, 99))).toBe(0);
  });

  it.each([
    [["a"], [[1]], /at least two labels/],
    [["a", "b"], [[1], []], /tokenizes to nothing/],
    [
      ["a", "b"],
      [
        [1, 2],
        [1, 2],
      ],
      /tokenize identically/,
    ],
  ])("rejects %j", (labels, tokens, message) => {
    expect(() => planLabelGrammar(labels, tt(...tokens), 99 as Token)).toThrow(message);
  });
});
