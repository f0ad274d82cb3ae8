import { describe, expect, it } from "vitest";
import { binomialHalfUpperTail, mcNemarWorsePValue } from "./exact-binomial.js";
import { wilsonInterval } from "../../statistics/wilson-interval.js";
import { twoSidedZ } from "./normal-quantile.js";
import { proportionInterval } from "./proportion-interval.js";

describe("proportionInterval (the reports' shape of the shared Wilson interval)", () => {
  it.each([
    [81, 263, 0.95],
    [0, 20, 0.95],
    [20, 100, 0.99],
  ])("%i/%i at %f is the shared Wilson interval, renamed", (successes, trials, confidence) => {
    const shared = wilsonInterval(successes, trials, confidence);
    expect(proportionInterval(successes, trials, confidence)).toEqual({
      estimate: shared.estimate,
      low: shared.lower,
      high: shared.upper,
    });
  });

  it("is null without trials, not [0, 1]", () => {
    expect(proportionInterval(0, 0)).toEqual({ estimate: null, low: null, high: null });
  });
});

describe("twoSidedZ", () => {
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
