import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { draftConfidence, noChangeConfidence } from "./confidence-score.js";
import type { ReplayStats } from "./replay-gate.js";
import { decideTrigger } from "./trigger-policy.js";

function replay(delta: number, pBetter: number): ReplayStats {
  const comparison = {
    n: 100,
    currentCorrect: 80,
    candidateCorrect: 80 + delta * 100,
    currentAccuracy: 0.8,
    candidateAccuracy: 0.8 + delta,
    delta,
  };
  return {
    heldOut: comparison,
    slice: comparison,
    sliceDefinition: "",
    discordant: { currentOnlyRight: 1, candidateOnlyRight: 9 },
    pWorse: 1 - pBetter,
    pBetter,
    regression: { n: 50, brokenByCandidate: 1, brokenByCurrentReplay: 0, allowedExtraBroken: 2 },
    missingPredictions: 0,
  };
}

describe("confidence score", () => {
  it("combines the documented components for a draft", () => {
    // n = 400, min = 200 → S = 400/600 = 0.6667; p̂ = 0.25, θ = 0.15, SE = √(0.25·0.75/400) = 0.021651
    // → E = Φ(4.6188) ≈ 0.999998; R = 0.03/0.05 = 0.6; P = 1 − 0.01 = 0.99
    // score = 0.2·0.6667 + 0.2·1.0 + 0.3·0.6 + 0.3·0.99 = 0.8103
    const trigger = decideTrigger({ current: { labelled: 400, errors: 100 }, newLabelled: null });
    const score = draftConfidence(trigger, replay(0.03, 0.01));
    expect(score.components.map((c) => c.name)).toEqual([
      "sample size",
      "error evidence",
      "replay improvement",
      "replay significance",
    ]);
    expect(score.components[0]!.value).toBeCloseTo(2 / 3, 6);
    expect(score.components[1]!.value).toBeCloseTo(0.999998, 5);
    expect(score.score).toBeCloseTo(0.8103, 3);
    expect(score.formula).toBe("0.2·S + 0.2·E + 0.3·R + 0.3·P");
  });

  it("is high for no change with much data far below the threshold, low with little data", () => {
    const clear = noChangeConfidence(
      decideTrigger({ current: { labelled: 5000, errors: 250 }, newLabelled: null }),
    );
    const scarce = noChangeConfidence(
      decideTrigger({ current: { labelled: 20, errors: 2 }, newLabelled: null }),
    );
    const high = noChangeConfidence(
      decideTrigger({ current: { labelled: 5000, errors: 1500 }, newLabelled: null }),
    );
    expect(clear.score).toBeGreaterThan(0.9);
    expect(scarce.score).toBeLessThan(clear.score);
    expect(high.score).toBeLessThan(0.5);
  });

  it("always lies in [0, 1] and grows with the replay improvement", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: -0.2, max: 0.2, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (labelled, share, delta, pBetter) => {
          const trigger = decideTrigger({
            current: { labelled, errors: Math.round(labelled * share) },
            newLabelled: null,
          });
          const score = draftConfidence(trigger, replay(delta, pBetter)).score;
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(1);
          expect(draftConfidence(trigger, replay(delta + 0.01, pBetter)).score).toBeGreaterThanOrEqual(score);
          const none = noChangeConfidence(trigger).score;
          expect(none).toBeGreaterThanOrEqual(0);
          expect(none).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
