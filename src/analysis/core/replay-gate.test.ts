import { describe, expect, it } from "vitest";
import type { ReplayGateInput, ReplayPredictions } from "./replay-gate.js";
import { decideReplayGate } from "./replay-gate.js";
import { describeReplayGateReason, replayGateReasonCodes } from "./replay-gate-reason.js";
import type { ReplayItem } from "./replay-sets.js";

/** 20 items with 还行 (gold 负面), 80 others (gold 正面); the current version gets every 还行 item wrong. */
const heldOut: ReplayItem[] = Array.from({ length: 100 }, (_, i) => ({
  id: `h${i}`,
  input: i < 20 ? `菜还行，就是慢${i}` : `很好吃${i}`,
  gold: i < 20 ? "负面" : "正面",
  recordedPrediction: "正面",
  createdAt: i,
}));
const regression = heldOut.filter((item) => item.gold === "正面");
const current: ReplayPredictions = Object.fromEntries(heldOut.map((item) => [item.id, "正面"]));

/** The candidate answers like `current` except on the listed fixes and breaks. */
function candidate(fixed: number, broken: number): ReplayPredictions {
  const predictions: Record<string, string | null> = { ...current };
  for (let i = 0; i < fixed; i += 1) predictions[`h${i}`] = "负面";
  for (let i = 0; i < broken; i += 1) predictions[`h${20 + i}`] = "负面";
  return predictions;
}

function gate(predictions: ReplayPredictions, overrides: Partial<ReplayGateInput> = {}) {
  return decideReplayGate({
    heldOut,
    regression,
    current,
    candidate: predictions,
    targetPatterns: ["ngram:还行"],
    ...overrides,
  });
}

describe("decideReplayGate", () => {
  it.each([
    // fixed, broken, pass, reason fragment
    [15, 0, true, "target slice 0 → 15 of 20 right"],
    [15, 3, true, "breaks 3 of 80"],
    [0, 0, false, "no improvement on the target slice"],
    [2, 12, false, "worse overall beyond noise"],
    [15, 10, false, "breaks 10 of 80 previously right answers"],
  ])("fixes %i, breaks %i → pass %s", (fixed, broken, pass, reason) => {
    const result = gate(candidate(fixed, broken));
    expect(result.pass).toBe(pass);
    expect(result.reason).toContain(reason);
  });

  it("reports the statistics", () => {
    const { stats } = gate(candidate(15, 3));
    expect(stats.heldOut).toMatchObject({ n: 100, currentCorrect: 80, candidateCorrect: 92, delta: 0.12 });
    expect(stats.slice).toMatchObject({ n: 20, currentCorrect: 0, candidateCorrect: 15 });
    expect(stats.discordant).toEqual({ currentOnlyRight: 3, candidateOnlyRight: 15 });
    expect(stats.regression).toMatchObject({
      n: 80,
      brokenByCandidate: 3,
      brokenByCurrentReplay: 0,
      allowedExtraBroken: 4,
    });
    // P(X ≥ 3 | n = 18, p = ½) = 1 − (1 + 18 + 153) / 2^18
    expect(stats.pWorse).toBeCloseTo(1 - 172 / 262144, 10);
  });

  it("needs a large enough slice", () => {
    const result = gate(candidate(15, 0), { targetPatterns: ["ngram:不存在"] });
    expect(result).toMatchObject({
      pass: false,
      reason: "target slice has 0 held-out items, need 5 to judge",
    });
  });

  it("uses the recorded errors as the slice when a candidate has no target patterns", () => {
    const result = gate(candidate(15, 0), { targetPatterns: [] });
    expect(result.stats.slice.n).toBe(20);
    expect(result.pass).toBe(true);
  });

  it("discounts what the current version breaks itself on replay", () => {
    const noisyCurrent: Record<string, string | null> = { ...current };
    for (let i = 20; i < 28; i += 1) noisyCurrent[`h${i}`] = "负面";
    const predictions = { ...candidate(15, 10) };
    const result = gate(predictions, { current: noisyCurrent });
    expect(result.stats.regression.brokenByCurrentReplay).toBe(8);
    expect(result.pass).toBe(true);
  });

  it("counts a missing prediction as wrong", () => {
    const predictions: Record<string, string | null> = { ...candidate(15, 0) };
    delete predictions["h30"];
    const { stats } = gate(predictions);
    expect(stats.missingPredictions).toBe(1);
    expect(stats.regression.brokenByCandidate).toBe(1);
  });

  it("gives every reason a code and figures, and a sentence in both languages for each code", () => {
    const seen = new Set<string>();
    for (const [fixed, broken] of [
      [15, 0],
      [0, 0],
      [2, 12],
      [15, 10],
    ] as const) {
      const result = gate(candidate(fixed, broken));
      seen.add(result.reasonCode);
      expect(result.reason).toBe(describeReplayGateReason(result.reasonCode, result.reasonParams, "en"));
    }
    expect([...seen]).toEqual(["passed", "no_slice_improvement", "worse_overall", "breaks_regressions"]);
    const params = gate(candidate(15, 0)).reasonParams;
    for (const code of replayGateReasonCodes) {
      const zh = describeReplayGateReason(code, params, "zh");
      expect(zh, code).toMatch(/[\u4e00-\u9fff]/);
      expect(zh, code).not.toMatch(/\b(the|of|right|held-out)\b/);
      expect(describeReplayGateReason(code, params, "en"), code).not.toBe(zh);
    }
  });
});

describe("decideReplayGate with named regression sets", () => {
  // An operator's set: three inputs outside the held-out history, each with the label it must get.
  const namedItems: ReplayItem[] = ["好个屁", "真是谢谢你啊", "还不如不去"].map((input, i) => ({
    id: `n${i}`,
    input,
    gold: "负面",
    recordedPrediction: "正面",
    createdAt: 1000 + i,
  }));
  const named = [{ id: "set-1", name: "讽刺", items: namedItems }];
  const withNamed = (base: ReplayPredictions, answers: Record<string, string>) => ({ ...base, ...answers });

  it("fails a candidate that passes otherwise but gets a named set's items wrong that the current version gets right", () => {
    const currentRight = withNamed(current, { n0: "负面", n1: "负面", n2: "负面" });
    const candidateBreaks = withNamed(candidate(15, 0), { n0: "正面", n1: "负面", n2: "负面" });
    const result = gate(candidateBreaks, { current: currentRight, named });
    expect(result.pass).toBe(false);
    expect(result.reason).toContain('regression set "讽刺": 2 of 3 right vs 3');
    expect(result.stats.namedSets).toEqual([
      {
        id: "set-1",
        name: "讽刺",
        n: 3,
        currentCorrect: 3,
        candidateCorrect: 2,
        brokenByCandidate: 1,
        fixedByCandidate: 0,
        allowedExtraWrong: 0,
        pass: false,
      },
    ]);
    // Without the set the same candidate passes.
    expect(gate(candidateBreaks, { current: currentRight }).pass).toBe(true);
  });

  it("passes a candidate that fixes a named set's items, and counts a missing prediction as wrong", () => {
    const result = gate(withNamed(candidate(15, 0), { n0: "负面", n1: "负面" }), { named });
    expect(result.pass).toBe(true);
    expect(result.stats.namedSets![0]).toMatchObject({
      currentCorrect: 0,
      candidateCorrect: 2,
      fixedByCandidate: 2,
      pass: true,
    });
    expect(result.stats.missingPredictions).toBe(3);
  });
});
