import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { logGamma, regularizedGammaP, regularizedGammaQ } from "./regularized-gamma.js";

// Reference values: mpmath at 30 digits.
describe("logGamma", () => {
  it.each([
    [0.3, 1.0957979948180756],
    [1, 0],
    [4.5, 2.4537365708424423],
    [10, 12.801827480081469],
    [100.25, 360.28455963776423],
  ])("ln Γ(%d) = %d", (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 12);
  });

  it("rejects x <= 0", () => {
    expect(() => logGamma(0)).toThrow(RangeError);
  });
});

describe("regularised incomplete gamma", () => {
  it("P + Q = 1 on both sides of the series / continued-fraction switch", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 60, noNaN: true }),
        fc.double({ min: 0, max: 120, noNaN: true }),
        (a, x) => {
          expect(regularizedGammaP(a, x) + regularizedGammaQ(a, x)).toBeCloseTo(1, 12);
        },
      ),
    );
  });

  it("Q(1, x) = exp(-x), the exponential distribution's tail", () => {
    for (const x of [0.01, 0.5, 2, 10, 50]) {
      expect(regularizedGammaQ(1, x) / Math.exp(-x)).toBeCloseTo(1, 12);
    }
  });
});
