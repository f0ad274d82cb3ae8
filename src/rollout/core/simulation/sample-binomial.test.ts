import { describe, expect, it } from "vitest";
import { chiSquareSurvival } from "../stats/chi-square-survival.js";
import { logGamma } from "../../../statistics/regularized-gamma.js";
import { sampleBinomial, sampleMultinomial } from "./sample-binomial.js";
import { createSeededRandom } from "../../../statistics/seeded-random.js";

describe("createSeededRandom", () => {
  it("repeats its sequence for a seed and differs between seeds", () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createSeededRandom(seed));
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(3).every((value) => value >= 0 && value < 1)).toBe(true);
  });
});

describe("sampleBinomial", () => {
  it.each([
    [10, 0.3],
    [40, 0.05],
    [25, 0.8],
  ])("matches the Binomial(%d, %d) pmf (chi-square goodness of fit)", (trials, probability) => {
    const random = createSeededRandom(trials);
    const draws = 40_000;
    const observed = new Array<number>(trials + 1).fill(0);
    for (let i = 0; i < draws; i++) observed[sampleBinomial(trials, probability, random)]! += 1;
    const logPmf = (k: number) =>
      logGamma(trials + 1) -
      logGamma(k + 1) -
      logGamma(trials - k + 1) +
      k * Math.log(probability) +
      (trials - k) * Math.log(1 - probability);
    // Pool the tails so every cell expects at least 5 draws.
    let statistic = 0;
    let cells = 0;
    let pooledObserved = 0;
    let pooledExpected = 0;
    for (let k = 0; k <= trials; k++) {
      pooledObserved += observed[k]!;
      pooledExpected += draws * Math.exp(logPmf(k));
      if (pooledExpected >= 5 || k === trials) {
        statistic += (pooledObserved - pooledExpected) ** 2 / pooledExpected;
        cells++;
        pooledObserved = 0;
        pooledExpected = 0;
      }
    }
    expect(chiSquareSurvival(statistic, cells - 1)).toBeGreaterThan(0.001);
  });

  it("has the right mean and variance for large trials, across chunks", () => {
    const random = createSeededRandom(99);
    const draws = Array.from({ length: 4000 }, () => sampleBinomial(5000, 0.1, random));
    const mean = draws.reduce((sum, x) => sum + x, 0) / draws.length;
    const variance = draws.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (draws.length - 1);
    // Expected 500 and 450; the standard error of the mean is √(450/4000) ≈ 0.34.
    expect(Math.abs(mean - 500)).toBeLessThan(5 * 0.34);
    expect(variance / 450).toBeGreaterThan(0.9);
    expect(variance / 450).toBeLessThan(1.1);
  });

  it("handles the edges", () => {
    const random = createSeededRandom(1);
    expect(sampleBinomial(0, 0.5, random)).toBe(0);
    expect(sampleBinomial(10, 0, random)).toBe(0);
    expect(sampleBinomial(10, 1, random)).toBe(10);
    expect(() => sampleBinomial(-1, 0.5, random)).toThrow(RangeError);
  });
});

describe("sampleMultinomial", () => {
  it("splits every trial between the labels in proportion", () => {
    const random = createSeededRandom(5);
    const totals = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 200; i++) {
      const counts = sampleMultinomial(100, { a: 0.6, b: 0.3, c: 0.1 }, random);
      expect(counts.a! + counts.b! + counts.c!).toBe(100);
      totals.a += counts.a!;
      totals.b += counts.b!;
      totals.c += counts.c!;
    }
    expect(totals.a / 20_000).toBeCloseTo(0.6, 1);
    expect(totals.c / 20_000).toBeCloseTo(0.1, 1);
  });
});
