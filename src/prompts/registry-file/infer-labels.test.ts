import { describe, expect, it } from "vitest";
import { inferLabels } from "./infer-labels.js";

describe("inferLabels", () => {
  it.each([
    ["the write-up's v1, elided", "你是一个冷酷的情感分析师...输出只能是'正面'或'负面'", ["正面", "负面"]],
    [
      "the shipped v1",
      "你是一个冷酷的情感分析师，不做任何解释。\n输出只能是'正面'或'负面'。",
      ["正面", "负面"],
    ],
    ["corner brackets and 或者", "只输出「正面」或者「负面」，不要解释。", ["正面", "负面"]],
    ["curly quotes and 和", "回答只能是“是”和“否”之一。", ["是", "否"]],
    ["three labels with 、", "请判断意图，只能输出“咨询”、“投诉”或“建议”。", ["咨询", "投诉", "建议"]],
    [
      "English with quotes",
      "Classify the review. Only output 'positive' or 'negative'.",
      ["positive", "negative"],
    ],
    ["English without quotes", "Only output positive or negative.", ["positive", "negative"]],
    ["English, answer only with", "Answer only with yes, no or maybe.", ["yes", "no", "maybe"]],
  ])("reads %s", (_name, prompt, labels) => {
    expect(inferLabels(prompt)?.labels).toEqual(labels);
  });

  it("says which sentence the labels came from", () => {
    expect(inferLabels("你是一个冷酷的情感分析师。\n输出只能是'正面'或'负面'。")?.evidence).toBe(
      "输出只能是'正面'或'负面'",
    );
  });

  it.each([
    [
      "the write-up's v2 (a preference, not a restriction)",
      "注意:如果句子包含矛盾情绪(如'失望但能接受'),优先判定为'负面'",
    ],
    ["a chat prompt", "你是一个友善的助手，用简短的中文回答。"],
    ["quotes without a restriction", "用户常说“不错”或“还行”。"],
    ["two sentences naming different labels", "只能输出'好'或'坏'。只能回答'是'或'否'。"],
    ["English filler words", "Only output a label or nothing."],
  ])("finds nothing in %s", (_name, prompt) => {
    expect(inferLabels(prompt)).toBeNull();
  });
});
