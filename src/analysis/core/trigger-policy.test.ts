import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideTrigger, defaultTriggerPolicy } from "./trigger-policy.js";
import { wilsonInterval } from "./wilson-interval.js";

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
          const low = wilsonInterval(errors, labelled).low;
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
