import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { logOddsWithPrior, pooledPrior } from "./log-odds.js";

describe("logOddsWithPrior", () => {
  it("matches a hand-computed case", () => {
    // 10 of 100 errors and 5 of 200 correct answers contain the pattern; prior α = 1 out of α₀ = 10.
    // δ = ln(11/99) − ln(6/204) = −2.197225 + 3.526361 = 1.329136
    // σ² = 1/11 + 1/99 + 1/6 + 1/204 = 0.090909 + 0.010101 + 0.166667 + 0.004902 = 0.272579
    // z = 1.329136 / √0.272579 = 1.329136 / 0.522091 = 2.545795
    const result = logOddsWithPrior(
      { targetCount: 10, targetTotal: 100, referenceCount: 5, referenceTotal: 200 },
      { priorCount: 1, priorTotal: 10 },
    );
    expect(result.delta).toBeCloseTo(1.329136, 6);
    expect(result.variance).toBeCloseTo(0.272579, 6);
    expect(result.z).toBeCloseTo(2.545795, 6);
  });

  it("builds the prior from the pooled share", () => {
    const counts = { targetCount: 10, targetTotal: 100, referenceCount: 5, referenceTotal: 200 };
    // share = (10 + 5 + 0.5) / (300 + 1) → α = 30 × 15.5 / 301 = 1.544850
    const prior = pooledPrior(counts, 30);
    expect(prior.priorCount).toBeCloseTo(1.54485, 5);
    expect(prior.priorTotal).toBe(30);
    // δ = ln(11.544850 / 118.455150) − ln(6.544850 / 223.455150) = 1.202237
    expect(logOddsWithPrior(counts, prior).delta).toBeCloseTo(1.202237, 6);
  });

  it("is antisymmetric when the groups swap, and zero for equal shares", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n1, n2, s1, s2) => {
          const counts = {
            targetCount: Math.round(s1 * n1),
            targetTotal: n1,
            referenceCount: Math.round(s2 * n2),
            referenceTotal: n2,
          };
          const swapped = {
            targetCount: counts.referenceCount,
            targetTotal: n2,
            referenceCount: counts.targetCount,
            referenceTotal: n1,
          };
          const prior = pooledPrior(counts, 10);
          const z = logOddsWithPrior(counts, prior).z;
          expect(Number.isFinite(z)).toBe(true);
          expect(logOddsWithPrior(swapped, prior).z).toBeCloseTo(-z, 9);
        },
      ),
    );
    const equal = { targetCount: 10, targetTotal: 100, referenceCount: 20, referenceTotal: 200 };
    // 11/99 on both sides when the prior has the same share (1 of 10) as the data.
    expect(logOddsWithPrior(equal, { priorCount: 1, priorTotal: 10 }).delta).toBeCloseTo(0, 12);
  });

  it("gives more evidence (higher z) to the same share at a larger sample", () => {
    const small = { targetCount: 6, targetTotal: 20, referenceCount: 2, referenceTotal: 80 };
    const large = { targetCount: 60, targetTotal: 200, referenceCount: 20, referenceTotal: 800 };
    expect(logOddsWithPrior(large, pooledPrior(large, 10)).z).toBeGreaterThan(
      logOddsWithPrior(small, pooledPrior(small, 10)).z,
    );
  });
});
