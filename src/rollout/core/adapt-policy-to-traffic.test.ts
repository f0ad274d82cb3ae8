import { describe, expect, it } from "vitest";
import { adaptPolicyToTraffic } from "./adapt-policy-to-traffic.js";
import { createRolloutPolicy } from "./create-rollout-policy.js";
import { rolloutPresets } from "./rollout-presets.js";
import { validateRolloutPolicy } from "./validate-rollout-policy.js";

const balanced = createRolloutPolicy();
// 100 users a day, 2 requests each, 20% labelled: about 1.66 labelled answers an hour.
const hundredADay = { primaryTrialsPerHour: 1.66, primaryEventRate: 0.15 };

describe("adaptPolicyToTraffic", () => {
  it("keeps balanced exactly (the same object) from about 24 users an hour (9.71 labelled an hour) up", () => {
    for (const rate of [9.72, 10, 100, 1000]) {
      expect(adaptPolicyToTraffic(balanced, { primaryTrialsPerHour: rate, primaryEventRate: 0.15 })).toBe(
        balanced,
      );
    }
    // Below, τ is tuned to a week's smaller sample (from 9.71); the 300 per arm is out of reach in 72 h (from 8.33).
    const below = adaptPolicyToTraffic(balanced, { primaryTrialsPerHour: 8, primaryEventRate: 0.15 });
    expect([
      below.rampSteps[0]!.share,
      below.minimumLabelledPerArm,
      below.promotion.mixtureStandardDeviation,
    ]).toEqual([0.1, 288, 0.055]);
  });

  it("at 100 users a day raises the safety share to its cap, lowers the decision minimum and widens τ", () => {
    const adapted = adaptPolicyToTraffic(balanced, hundredADay);
    // 50 candidate labels in 72 h need 42%: capped at 40%, under the decision stage's 50%.
    expect(adapted.rampSteps.map((step) => step.share)).toEqual([0.4, 0.5, 1]);
    expect(adapted.rampSteps[0]).toMatchObject({ minimumDurationHours: 72, minimumCandidateTrials: 50 });
    // 1.66 × 50% × 72 h = 59.8 labelled per arm.
    expect(adapted.minimumLabelledPerArm).toBe(60);
    // 1.66 × 50% × 168 h = 139 per arm; v = 2 · 0.15 · 0.85 / 139; τ = √(8v).
    expect(adapted.promotion.mixtureStandardDeviation).toBeCloseTo(0.121, 3);
    expect(adapted.adaptedTo).toEqual(hundredADay);
    // Everything else is the preset's: the gates, the guardrails, alpha, futility, the sample-ratio test.
    expect(adapted).toEqual({
      ...balanced,
      rampSteps: [{ ...balanced.rampSteps[0], share: 0.4 }, balanced.rampSteps[1], balanced.rampSteps[2]],
      minimumLabelledPerArm: 60,
      promotion: { ...balanced.promotion, mixtureStandardDeviation: 0.121 },
      adaptedTo: hundredADay,
    });
    expect(() => validateRolloutPolicy(adapted)).not.toThrow();
  });

  it("at 10 users an hour the safety share reaches its exposure in 72 h without the cap", () => {
    const adapted = adaptPolicyToTraffic(balanced, { primaryTrialsPerHour: 3.98, primaryEventRate: 0.15 });
    expect(adapted.rampSteps[0]!.share).toBe(0.18);
    expect(adapted.minimumLabelledPerArm).toBe(144);
    expect(adapted.promotion.mixtureStandardDeviation).toBeCloseTo(0.078, 3);
  });

  it("never goes below the floor or above the caps at a trickle of traffic", () => {
    const adapted = adaptPolicyToTraffic(balanced, { primaryTrialsPerHour: 0.1, primaryEventRate: 0.15 });
    expect(adapted.rampSteps[0]!.share).toBe(0.4);
    expect(adapted.minimumLabelledPerArm).toBe(50);
    expect(adapted.promotion.mixtureStandardDeviation).toBe(0.15);
  });

  it("keeps the shares increasing when the next stage's share is below the cap", () => {
    const lowRamp = createRolloutPolicy({
      rampSteps: [
        { share: 0.05, minimumDurationHours: 72, gate: "guardrails", minimumCandidateTrials: 50 },
        { share: 0.3, minimumDurationHours: 24 },
        { share: 1, minimumDurationHours: 0 },
      ],
    });
    const adapted = adaptPolicyToTraffic(lowRamp, hundredADay);
    expect(adapted.rampSteps.map((step) => step.share)).toEqual([0.29, 0.3, 1]);
    expect(() => validateRolloutPolicy(adapted)).not.toThrow();
  });

  it("changes nothing without a measurement, with the fit off, or for strict and writeup", () => {
    expect(adaptPolicyToTraffic(balanced, null)).toBe(balanced);
    expect(adaptPolicyToTraffic(balanced, { primaryTrialsPerHour: 0, primaryEventRate: 0 })).toBe(balanced);
    const off = createRolloutPolicy({ trafficAdaptation: { enabled: false } });
    expect(adaptPolicyToTraffic(off, hundredADay)).toBe(off);
    expect(adaptPolicyToTraffic(rolloutPresets.strict, hundredADay)).toBe(rolloutPresets.strict);
    expect(adaptPolicyToTraffic(rolloutPresets.writeup, hundredADay)).toBe(rolloutPresets.writeup);
  });
});
