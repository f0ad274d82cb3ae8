import { describe, expect, it } from "vitest";
import { recordedReasonCodes } from "../../../src/rollout/core/reason-codes.js";
import { decisionFiguresZh } from "./decision-figures.js";
import { rolloutWords } from "./rollout-words.js";

describe("rollout words", () => {
  it.each(recordedReasonCodes)("reason %s has a Chinese and an English summary", (code) => {
    const zh = rolloutWords.zh.reason[code];
    expect(zh, code).toMatch(/[\u4e00-\u9fff]/);
    expect(zh.replace(/\bSRM\b/g, ""), code).not.toMatch(/[A-Za-z]{2,}/);
    expect(rolloutWords.en.reason[code], code).toMatch(/^[A-Z]/);
  });

  it("says a decision's figures in Chinese from its statistics, and nothing for a decision without them", () => {
    const statistics = {
      stage: { hoursInStage: 0.04, minimumDurationHours: 72 },
      primary: { trials: { control: 12, candidate: 3 }, pValue: 0.4123 },
      guardrails: [
        { name: "exitRate", status: "degraded" },
        { name: "errorRate", status: "ok" },
      ],
    };
    expect(decisionFiguresZh(statistics)).toBe(
      "本阶段已运行 0.0 小时（最短 72 小时）；样本：对照 12，候选 3；主要指标检验 p = 0.412；变差的护栏指标：退出率",
    );
    expect(decisionFiguresZh(null)).toBeNull();
  });
});
