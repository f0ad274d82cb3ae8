import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wilsonInterval } from "./wilson-interval.js";

// Newcombe, "Two-sided confidence intervals for the single proportion" (Stat Med 1998), Table II, method 3
// (score interval without continuity correction), to his 4 decimals; the 29/29 row is from the same formula.
describe("wilsonInterval", () => {
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
    [29, 29, 0.883, 1],
  ])("%d/%d → [%d, %d]", (successes, trials, lower, upper) => {
    const interval = wilsonInterval(successes, trials);
    expect(interval.estimate).toBeCloseTo(successes / trials, 12);
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });

  it("narrows with higher trials and widens with higher confidence", () => {
    const small = wilsonInterval(10, 100);
    const large = wilsonInterval(100, 1000);
    expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower);
    const wide = wilsonInterval(10, 100, 0.99);
    expect(wide.upper - wide.lower).toBeGreaterThan(small.upper - small.lower);
  });

  it("always contains the estimate and stays within [0, 1]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (trials, share) => {
          const successes = Math.round(share * trials);
          const { estimate, lower, upper } = wilsonInterval(successes, trials);
          expect(lower).toBeGreaterThanOrEqual(0);
          expect(upper).toBeLessThanOrEqual(1);
          expect(lower).toBeLessThanOrEqual(estimate! + 1e-12);
          expect(upper).toBeGreaterThanOrEqual(estimate! - 1e-12);
        },
      ),
    );
  });

  it("is [0, 1] without trials", () => {
    expect(wilsonInterval(0, 0)).toEqual({ estimate: null, lower: 0, upper: 1 });
  });
});
