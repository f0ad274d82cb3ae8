import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binomialHalfUpperTail, mcNemarWorsePValue } from "./exact-binomial.js";
import { normalQuantile, twoSidedZ } from "./normal-quantile.js";
import { wilsonInterval } from "./wilson-interval.js";

describe("wilsonInterval", () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3 (Wilson score).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])("%i/%i → [%f, %f]", (successes, trials, low, high) => {
    const interval = wilsonInterval(successes, trials);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it("is null without trials", () => {
    expect(wilsonInterval(0, 0)).toEqual({ estimate: null, low: null, high: null });
  });

  it("always contains the estimate and stays within [0, 1]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (trials, share) => {
          const successes = Math.round(share * trials);
          const { estimate, low, high } = wilsonInterval(successes, trials);
          expect(low).not.toBeNull();
          expect(low!).toBeGreaterThanOrEqual(0);
          expect(high!).toBeLessThanOrEqual(1);
          expect(low!).toBeLessThanOrEqual(estimate! + 1e-12);
          expect(high!).toBeGreaterThanOrEqual(estimate! - 1e-12);
        },
      ),
    );
  });

  it("narrows at a higher sample size and widens at a higher confidence", () => {
    const small = wilsonInterval(20, 100);
    const large = wilsonInterval(200, 1000);
    expect(large.high! - large.low!).toBeLessThan(small.high! - small.low!);
    const wide = wilsonInterval(20, 100, 0.99);
    expect(wide.high! - wide.low!).toBeGreaterThan(small.high! - small.low!);
  });
});

describe("normalQuantile", () => {
  it.each([
    [0.975, 1.959963984540054],
    [0.5, 0],
    [0.995, 2.5758293035489],
    [0.001, -3.090232306167813],
  ])("Φ⁻¹(%f) = %f", (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 8);
  });

  it("gives the usual two-sided critical value", () => {
    expect(twoSidedZ(0.95)).toBeCloseTo(1.96, 2);
  });
});

describe("exact McNemar", () => {
  it.each([
    // P(X ≥ k), X ~ Bin(n, 1/2), by hand: e.g. n = 5, k = 4 → (5 + 1) / 32
    [4, 5, 6 / 32],
    [0, 5, 1],
    [6, 5, 0],
    [10, 10, 1 / 1024],
    [5, 10, 638 / 1024],
  ])("P(X ≥ %i | n = %i) = %f", (k, n, expected) => {
    expect(binomialHalfUpperTail(k, n)).toBeCloseTo(expected, 12);
  });

  it("stays accurate for large n", () => {
    // Symmetric distribution: P(X ≥ 1001 | 2000) = (1 − P(X = 1000)) / 2.
    const pmfMiddle = Math.exp(logChoose(2000, 1000) - 2000 * Math.LN2);
    expect(binomialHalfUpperTail(1001, 2000)).toBeCloseTo((1 - pmfMiddle) / 2, 10);
  });

  it("is significant only when one side clearly dominates", () => {
    expect(mcNemarWorsePValue(12, 2)).toBeLessThan(0.05);
    expect(mcNemarWorsePValue(6, 4)).toBeGreaterThan(0.3);
    expect(mcNemarWorsePValue(0, 0)).toBe(1);
  });
});

function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i += 1) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}
