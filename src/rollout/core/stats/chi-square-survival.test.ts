import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chiSquareSurvival } from "./chi-square-survival.js";
import { erfc } from "../../../statistics/normal-distribution.js";

// Reference values: mpmath at 30 digits (critical values from the usual tables).
describe("chiSquareSurvival", () => {
  it.each([
    [3.841458820694124, 1, 0.05],
    [10.827566170662733, 1, 0.001],
    [0.5, 1, 0.4795001221869535],
    [0.01, 1, 0.920344325445942],
    [30, 1, 4.3204630578274975e-8],
    [5.991464547107979, 2, 0.05],
    [7.814727903251178, 3, 0.05],
    [100, 4, 9.83662422461598e-21],
    [2.5, 5, 0.7764950711233227],
  ])("P(χ² ≥ %d | %d dof) = %d", (statistic, dof, expected) => {
    expect(chiSquareSurvival(statistic, dof) / expected).toBeCloseTo(1, 11);
  });

  it("equals erfc(√(x/2)) for one degree of freedom", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 200, noNaN: true }), (x) => {
        const viaErfc = erfc(Math.sqrt(x / 2));
        expect(chiSquareSurvival(x, 1)).toBeCloseTo(viaErfc, 14);
      }),
    );
  });

  it("is 1 at 0 and falls as the statistic grows", () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareSurvival(4, 3)).toBeGreaterThan(chiSquareSurvival(5, 3));
  });
});
