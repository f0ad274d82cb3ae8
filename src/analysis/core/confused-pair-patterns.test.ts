import { describe, expect, it } from "vitest";
import { createErrorMiner, type MinedDocument } from "./error-miner.js";
import { perLabelErrors } from "./per-label-errors.js";
import { createWordSegmenter } from "./segment-text.js";
import { createSeededRandom } from "../../statistics/seeded-random.js";

const labels = ["卡片办理", "卡片故障", "转账汇款"];
const fillers = ["请问一下", "麻烦帮我看看", "我想了解", "能不能处理", "怎么办才好", "谢谢客服"];

/**
 * Two different kinds of mistakes on a three-label task: inputs mentioning 吞卡 are called 卡片办理 when they are
 * 卡片故障, inputs mentioning 到账 are called 卡片办理 when they are 转账汇款; and plenty of correct answers.
 */
function documents(): MinedDocument[] {
  const out: MinedDocument[] = [];
  const push = (text: string, predicted: string, gold: string | null) =>
    out.push({
      interactionId: `i${out.length}`,
      text,
      predicted,
      gold,
      correct: gold === predicted,
      createdAt: out.length,
    });
  for (let i = 0; i < 30; i++) {
    const filler = fillers[i % fillers.length]!;
    push(`${filler}，ATM 吞卡了第${i}次`, "卡片办理", "卡片故障");
    push(`${filler}，钱还没到账，第${i}笔`, "卡片办理", "转账汇款");
    push(`${filler}，新卡寄到哪里了 ${i}`, "卡片办理", "卡片办理");
    push(`${filler}，卡刷不了 ${i}`, "卡片故障", "卡片故障");
    push(`${filler}，转账手续费多少 ${i}`, "转账汇款", "转账汇款");
    if (i % 3 === 0) push(`${filler}，随便问问 ${i}`, "转账汇款", null);
  }
  return out;
}

describe("mining by confused pair of labels", () => {
  it("finds each pair's own term, and the pairs in order of their errors", () => {
    const miner = createErrorMiner({
      labels,
      random: createSeededRandom(1),
      segmentWords: createWordSegmenter(),
      wordSampleRate: 1,
    });
    for (const document of documents()) miner.add(document);
    const { confusedPairs } = miner.result({ minSupport: 10 });
    const pairs = confusedPairs.map((pair) => [pair.predicted, pair.gold, pair.errors]);
    expect(pairs).toEqual([
      ["卡片办理", "卡片故障", 30],
      ["卡片办理", "转账汇款", 30],
      ["转账汇款", null, 10],
    ]);
    const terms = (index: number) => confusedPairs[index]!.patterns.map((pattern) => pattern.text);
    expect(terms(0).some((text) => text.includes("吞"))).toBe(true);
    expect(terms(0).some((text) => text.includes("到账"))).toBe(false);
    expect(terms(1).some((text) => text.includes("到账") || text === "到")).toBe(true);
    expect(terms(1).some((text) => text.includes("吞"))).toBe(false);
    expect(confusedPairs[0]!.share).toBeCloseTo(30 / 70, 9);
  });
});

describe("perLabelErrors", () => {
  it("gives each label's error rate as a prediction (👎 with gold unknown included) and miss rate as gold", () => {
    const rows = perLabelErrors(
      [
        { gold: "卡片办理", predicted: "卡片办理", count: 30 },
        { gold: "卡片故障", predicted: "卡片办理", count: 30 },
        { gold: "转账汇款", predicted: "卡片办理", count: 30 },
        { gold: "卡片故障", predicted: "卡片故障", count: 30 },
        { gold: null, predicted: "转账汇款", count: 10 },
        { gold: "转账汇款", predicted: "转账汇款", count: 30 },
      ],
      labels,
    );
    expect(
      rows.map((row) => [row.label, row.predicted, row.predictedWrong, row.gold, row.goldMissed]),
    ).toEqual([
      ["卡片办理", 90, 60, 30, 0],
      ["卡片故障", 30, 0, 60, 30],
      ["转账汇款", 40, 10, 60, 30],
    ]);
    expect(rows[0]!.errorRate).toBeCloseTo(60 / 90, 9);
    expect(rows[0]!.errorRateLow).toBeLessThan(60 / 90);
    expect(rows[0]!.errorRateHigh).toBeGreaterThan(60 / 90);
    expect(rows[2]!.missRate).toBe(0.5);
  });
});
