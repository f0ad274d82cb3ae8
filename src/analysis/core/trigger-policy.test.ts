import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideTrigger, defaultTriggerPolicy, type TriggerRule } from "./trigger-policy.js";
import { proportionInterval } from "./proportion-interval.js";

describe("decideTrigger", () => {
  it.each([
    // labelled, errors, newLabelled, decision, English reason fragment
    [37, 20, null, "no_change", "only 37 labelled samples, need 200"],
    [0, 0, null, "no_change", "only 0 labelled samples"],
    [1000, 100, null, "no_change", "is not above the 15.0% threshold"],
    [200, 36, null, "no_change", "but not with 95% confidence"],
    [400, 100, null, "create_draft", "is above the 15.0% threshold with 400 labelled samples"],
    [400, 100, 0, "no_change", "no new labelled feedback since the last run"],
    [400, 100, 12, "create_draft", "above the 15.0% threshold"],
  ] as const)("%i labelled, %i errors, %s new → %s", (labelled, errors, newLabelled, decision, reason) => {
    const result = decideTrigger({ current: { labelled, errors }, newLabelled });
    expect(result.decision).toBe(decision);
    expect(result.reason.en).toContain(reason);
    expect(result.reason.zh.length).toBeGreaterThan(0);
  });

  it("gives the reason in Chinese too", () => {
    expect(decideTrigger({ current: { labelled: 37, errors: 20 }, newLabelled: null }).reason.zh).toBe(
      "仅有 37 条带标注的样本，至少需要 200 条",
    );
  });

  it("handles a version without any rows", () => {
    expect(decideTrigger({ current: null, newLabelled: null }).decision).toBe("no_change");
  });

  it("drafts exactly when samples suffice and the lower Wilson bound clears the threshold", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (labelled, share) => {
          const errors = Math.round(labelled * share);
          const low = proportionInterval(errors, labelled).low;
          const expected = labelled >= 200 && low !== null && low > 0.15 ? "create_draft" : "no_change";
          expect(decideTrigger({ current: { labelled, errors }, newLabelled: null }).decision).toBe(expected);
        },
      ),
    );
  });

  it("follows a configured policy", () => {
    const policy = { ...defaultTriggerPolicy, errorRateThreshold: 0.05, minLabelledSamples: 50 };
    expect(decideTrigger({ current: { labelled: 60, errors: 12 }, newLabelled: null }, policy).decision).toBe(
      "create_draft",
    );
  });
});

describe("the trigger's explanation and samples-to-fire", () => {
  const decide = (labelled: number, errors: number, rule: TriggerRule = "lower-bound") =>
    decideTrigger({ current: { labelled, errors }, newLabelled: null }, { ...defaultTriggerPolicy, rule });

  it("at 18% over 300 samples, states the rate, the bound and the 245 more samples (545 in all) that fire", () => {
    // 545 = the first n with Wilson lower bound of 18% above 15% (hand-computed in wilson-trials-to-exceed.test.ts).
    const decision = decide(300, 54);
    expect(decision.decision).toBe("no_change");
    expect(decision.stats.samplesToFire).toBe(245);
    expect(decision.explanation.en).toBe(
      "Observed error rate 18.0% (54 of 300 labelled); 95% Wilson lower bound 14.1% (upper 22.7%). " +
        "Rule lower-bound: a draft needs at least 200 labelled samples and the lower bound above 15.0%. " +
        "If the rate stays at 18.0%, 245 more labelled samples (545 in all) fire it.",
    );
    expect(decision.explanation.zh).toBe(
      "观测错误率 18.0%（300 条带标注样本中 54 条错误）；95% Wilson 置信下限 14.1%（上限 22.7%）。" +
        "触发规则 lower-bound：至少 200 条带标注样本，且置信下限高于 15.0%。" +
        "若错误率保持 18.0%，再有 245 条带标注样本（共 545 条）即会触发。",
    );
  });

  it.each([
    // labelled, errors, rule, samples to fire: by hand from the minimum and wilsonTrialsToExceed
    [300, 54, "point", 0], // 18% > 15% with ≥ 200 samples
    [150, 36, "lower-bound", 50], // 24%: the bound clears 15% from 61 samples, the minimum asks 200
    [150, 36, "point", 50],
    [400, 100, "lower-bound", 0], // 25%, bound 21.0%: fires now
    [100, 12, "lower-bound", null], // 12% is not above 15%
    [100, 12, "point", null],
    [0, 0, "lower-bound", null], // no observed rate
  ] as const)("%i labelled, %i errors, rule %s → %s more", (labelled, errors, rule, expected) => {
    expect(decide(labelled, errors, rule).stats.samplesToFire).toBe(expected);
  });

  it("says when no number of samples would fire, and when it fires now", () => {
    expect(decide(100, 12).explanation.en).toContain(
      "At 12.0% no number of samples fires it: the observed rate must be above 15.0%.",
    );
    expect(decide(0, 0).explanation.zh).toBe(
      "尚无带标注样本，没有观测错误率。触发规则 lower-bound：至少 200 条带标注样本，且置信下限高于 15.0%。",
    );
    expect(decide(400, 100).explanation.en).toContain("Today's observed rate meets the rule now.");
  });

  it("the point rule drafts on the observed rate alone", () => {
    expect(decide(300, 54, "point").decision).toBe("create_draft");
    expect(decide(300, 54, "lower-bound").decision).toBe("no_change");
    expect(decide(300, 45, "point").decision).toBe("no_change"); // exactly 15.0%
  });

  it("fires exactly when the samples-to-fire figure is 0, and one sample short it doesn't", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom<TriggerRule>("lower-bound", "point"),
        (labelled, share, rule) => {
          const errors = Math.round(labelled * share);
          const decision = decide(labelled, errors, rule);
          expect(decision.decision === "create_draft").toBe(decision.stats.samplesToFire === 0);
        },
      ),
    );
  });
});
