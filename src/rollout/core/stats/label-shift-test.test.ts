import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { labelShiftTest } from "./label-shift-test.js";

const options = { tolerance: 0.1, mixtureStandardDeviation: 0.05, alpha: 0.05 } as const;

describe("labelShiftTest", () => {
  it("flags a candidate that collapses onto one label", () => {
    const result = labelShiftTest({
      ...options,
      control: { 正面: 600, 负面: 400 },
      candidate: { 正面: 190, 负面: 10 },
    });
    expect(result.shiftedLabels).toEqual(["正面", "负面"]);
    expect(result.pValue).toBeLessThan(0.05);
  });

  it("tolerates a move smaller than the tolerance, even when it is certain", () => {
    const result = labelShiftTest({
      ...options,
      control: { 正面: 60_000, 负面: 40_000 },
      candidate: { 正面: 65_000, 负面: 35_000 },
    });
    expect(result.shiftedLabels).toEqual([]);
  });

  it("flags a label that only the candidate produces", () => {
    const result = labelShiftTest({
      ...options,
      control: { a: 500, b: 300, c: 200 },
      candidate: { a: 100, b: 60, c: 40, unparsed: 300 },
    });
    expect(result.shiftedLabels).toContain("unparsed");
    expect(result.perTestAlpha).toBeCloseTo(0.05 / 8, 12);
  });

  it("splits alpha over one label's two directions when there are exactly two labels", () => {
    const result = labelShiftTest({
      ...options,
      control: { yes: 10, no: 10 },
      candidate: { yes: 10, no: 10 },
    });
    expect(result.perTestAlpha).toBeCloseTo(0.025, 12);
  });

  it("never flags identical distributions", () => {
    const distribution = fc.dictionary(
      fc.constantFrom("a", "b", "c", "d"),
      fc.integer({ min: 0, max: 10_000 }),
      { minKeys: 1 },
    );
    fc.assert(
      fc.property(distribution, (counts) => {
        expect(labelShiftTest({ ...options, control: counts, candidate: counts }).shiftedLabels).toEqual([]);
      }),
    );
  });
});
