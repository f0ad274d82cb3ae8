import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { logGamma } from "../../../statistics/regularized-gamma.js";
import { logDirichletMultinomialBayesFactor, sampleRatioTest } from "./sample-ratio-test.js";

describe("sampleRatioTest", () => {
  it.each([
    // 10/90 expected: 120 of 1000 gives χ² = 20²/100 + 20²/900 = 4.444 → p = 0.0350 (mpmath).
    { observed: [880, 120], statistic: 4.444444444444445, pValue: 0.03501498101966245, mismatch: false },
    // The same 12/88 split at n = 10,000 is unmistakable (p from mpmath).
    { observed: [8800, 1200], statistic: 44.44444444444444, pValue: 2.6167849372106072e-11, mismatch: true },
    { observed: [900, 100], statistic: 0, pValue: 1, mismatch: false },
  ])("$observed against 90/10 → χ² $statistic", ({ observed, statistic, pValue, mismatch }) => {
    const result = sampleRatioTest({ observed, expectedShares: [0.9, 0.1], threshold: 0.001 });
    expect(result.statistic).toBeCloseTo(statistic, 9);
    expect(result.pValue / pValue).toBeCloseTo(1, 6);
    expect(result.mismatch).toBe(mismatch);
  });

  it("is not evaluable while an expected count is below 5", () => {
    const result = sampleRatioTest({ observed: [40, 0], expectedShares: [0.9, 0.1], threshold: 0.001 });
    expect(result).toMatchObject({ evaluable: false, mismatch: false, pValue: 1 });
  });

  it("never passes a 12/88 split once n is large", () => {
    fc.assert(
      fc.property(fc.integer({ min: 5000, max: 1_000_000 }), (units) => {
        const candidate = Math.round(units * 0.12);
        const result = sampleRatioTest({
          observed: [units - candidate, candidate],
          expectedShares: [0.9, 0.1],
          threshold: 0.001,
        });
        expect(result.mismatch).toBe(true);
      }),
    );
  });

  it("accepts any split within one expected standard deviation", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 1_000_000 }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (units, z) => {
          const candidate = Math.round(units * 0.1 + z * Math.sqrt(units * 0.1 * 0.9));
          const result = sampleRatioTest({
            observed: [units - candidate, candidate],
            expectedShares: [0.9, 0.1],
            threshold: 0.001,
          });
          expect(result.mismatch).toBe(false);
        },
      ),
    );
  });

  it("sequential: the Dirichlet-multinomial Bayes factor's p-value, slower to flag the same mismatch", () => {
    const options = {
      expectedShares: [0.9, 0.1],
      threshold: 0.001,
      method: "sequential",
      concentration: 300,
    } as const;
    // ln BF by hand (mpmath, 40 digits): lnΓ(300) − lnΓ(300 + n) + Σ lnΓ(300 pᵢ + nᵢ) − lnΓ(300 pᵢ) − nᵢ ln pᵢ.
    const large = sampleRatioTest({ ...options, observed: [8800, 1200] });
    expect(large.pValue / 8.4031073175172455e-9).toBeCloseTo(1, 8);
    expect(large.mismatch).toBe(true);
    const small = sampleRatioTest({ ...options, observed: [2200, 300] });
    expect(small.pValue).toBeCloseTo(0.0293673153624503, 9);
    expect(small.mismatch).toBe(false);
    expect(sampleRatioTest({ ...options, method: "chi-square", observed: [2200, 300] }).mismatch).toBe(true);
    // Exact, so evaluable from the first unit; an exact split is evidence for the null (BF < 1, p = 1).
    expect(sampleRatioTest({ ...options, observed: [3, 1] })).toMatchObject({ evaluable: true, pValue: 1 });
    expect(sampleRatioTest({ ...options, observed: [900, 100] }).pValue).toBe(1);
  });

  it("sequential: under the null the Bayes factor averages 1 over every possible sequence (a martingale)", () => {
    // E[BF] = Σₖ C(n, k) pᵏ (1 − p)ⁿ⁻ᵏ BF(k) must be exactly 1 for every n: that is what makes it anytime-valid.
    for (const n of [1, 7, 40]) {
      let mean = 0;
      for (let k = 0; k <= n; k++) {
        const logChoose = logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
        const logNull = logChoose + k * Math.log(0.1) + (n - k) * Math.log(0.9);
        mean += Math.exp(logNull + logDirichletMultinomialBayesFactor([n - k, k], [0.9, 0.1], 300));
      }
      expect(mean).toBeCloseTo(1, 10);
    }
  });
});
