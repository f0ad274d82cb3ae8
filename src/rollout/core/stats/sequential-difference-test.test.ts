import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sequentialDifferenceTest, type Alternative } from "./sequential-difference-test.js";

// Reference values: mpmath integrating the likelihood ratio over the mixing density numerically (not the closed
// form), with the variance at the Farrington–Manning null-restricted rates.
describe("sequentialDifferenceTest known values", () => {
  it.each([
    {
      control: [300, 2000],
      candidate: [40, 200],
      nullDifference: 0,
      tau: 0.05,
      alternative: "greater",
      logLr: 1.2431030156314318,
    },
    {
      control: [300, 2000],
      candidate: [40, 200],
      nullDifference: 0,
      tau: 0.05,
      alternative: "two-sided",
      logLr: 0.6013634228409251,
    },
    {
      control: [300, 2000],
      candidate: [20, 200],
      nullDifference: 0,
      tau: 0.05,
      alternative: "less",
      logLr: 1.3136714996451924,
    },
    {
      control: [300, 2000],
      candidate: [20, 200],
      nullDifference: 0.02,
      tau: 0.05,
      alternative: "less",
      logLr: 2.4676451527360497,
    },
    {
      control: [15, 100],
      candidate: [30, 100],
      nullDifference: 0,
      tau: 0.1,
      alternative: "greater",
      logLr: 2.394087020457802,
    },
    {
      control: [150, 1000],
      candidate: [100, 1000],
      nullDifference: 0,
      tau: 0.05,
      alternative: "greater",
      logLr: -2.7410304091199786,
    },
    {
      control: [405, 2700],
      candidate: [24, 300],
      nullDifference: 0,
      tau: 0.05,
      alternative: "less",
      logLr: 4.323723189322965,
    },
  ] as const)("$control vs $candidate, $alternative from $nullDifference → ln Λ $logLr", (row) => {
    const result = sequentialDifferenceTest({
      control: { events: row.control[0], trials: row.control[1] },
      candidate: { events: row.candidate[0], trials: row.candidate[1] },
      nullDifference: row.nullDifference,
      alternative: row.alternative,
      mixtureStandardDeviation: row.tau,
      alpha: 0.05,
    });
    expect(result.logLikelihoodRatio).toBeCloseTo(row.logLr, 9);
    expect(result.pValue).toBeCloseTo(Math.min(1, Math.exp(-row.logLr)), 9);
    expect(result.rejectsNull).toBe(result.pValue <= 0.05);
  });

  it("rejects a clear degradation and reports it in both forms", () => {
    const result = sequentialDifferenceTest({
      control: { events: 150, trials: 1000 },
      candidate: { events: 80, trials: 250 },
      alternative: "greater",
      mixtureStandardDeviation: 0.05,
      alpha: 0.01,
    });
    expect(result.difference).toBeCloseTo(0.32 - 0.15, 12);
    expect(result.rejectsNull).toBe(true);
    expect(result.confidenceSequence!.lower).toBeGreaterThan(0);
    expect(result.confidenceSequence!.upper).toBe(1);
  });
});

const counts = fc
  .tuple(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([trials, share]) => ({ events: Math.round(trials * share), trials }));
const alternatives: Alternative[] = ["greater", "less", "two-sided"];

describe("sequentialDifferenceTest properties", () => {
  it("the closed form equals numerical integration over the mixing density", () => {
    fc.assert(
      fc.property(
        counts,
        counts,
        fc.constantFrom(...alternatives),
        fc.double({ min: 0.01, max: 0.2, noNaN: true }),
        (control, candidate, alternative, tau) => {
          const result = sequentialDifferenceTest({
            control,
            candidate,
            alternative,
            mixtureStandardDeviation: tau,
            alpha: 0.05,
          });
          const variance = result.standardError ** 2;
          const numeric = logMixtureByQuadrature(result.difference, variance, tau, alternative);
          if (Number.isFinite(numeric)) expect(result.logLikelihoodRatio).toBeCloseTo(numeric, 6);
        },
      ),
    );
  });

  it("the confidence sequence holds exactly the null values the same test does not reject", () => {
    fc.assert(
      fc.property(
        counts,
        counts,
        fc.constantFrom(...alternatives),
        fc.double({ min: -0.9, max: 0.9, noNaN: true }),
        (control, candidate, alternative, nullDifference) => {
          const options = {
            control,
            candidate,
            alternative,
            mixtureStandardDeviation: 0.05,
            alpha: 0.05,
          } as const;
          const { lower, upper } = sequentialDifferenceTest(options).confidenceSequence!;
          const atNull = sequentialDifferenceTest({
            ...options,
            nullDifference,
            withConfidenceSequence: false,
          });
          const margin = 1e-6;
          if (nullDifference < lower - margin || nullDifference > upper + margin)
            expect(atNull.rejectsNull).toBe(true);
          if (nullDifference > lower + margin && nullDifference < upper - margin)
            expect(atNull.rejectsNull).toBe(false);
        },
      ),
    );
  });

  it("skips the confidence sequence on request without changing the test", () => {
    fc.assert(
      fc.property(counts, counts, fc.constantFrom(...alternatives), (control, candidate, alternative) => {
        const options = {
          control,
          candidate,
          alternative,
          mixtureStandardDeviation: 0.05,
          alpha: 0.05,
        } as const;
        const full = sequentialDifferenceTest(options);
        const lean = sequentialDifferenceTest({ ...options, withConfidenceSequence: false });
        expect(lean).toEqual({ ...full, confidenceSequence: null });
      }),
    );
  });

  it("a one-sided test never rejects when the estimate lies on the null's side", () => {
    fc.assert(
      fc.property(counts, counts, (control, candidate) => {
        const result = sequentialDifferenceTest({
          control,
          candidate,
          alternative: "greater",
          mixtureStandardDeviation: 0.05,
          alpha: 0.5,
        });
        if (result.difference <= 0) expect(result.pValue).toBe(1);
      }),
    );
  });

  it("identical arms never reject, whatever their size", () => {
    fc.assert(
      fc.property(counts, fc.constantFrom(...alternatives), (arm, alternative) => {
        const result = sequentialDifferenceTest({
          control: arm,
          candidate: arm,
          alternative,
          mixtureStandardDeviation: 0.05,
          alpha: 0.2,
        });
        expect(result.rejectsNull).toBe(false);
      }),
    );
  });

  it("is not evaluable without trials in an arm", () => {
    const result = sequentialDifferenceTest({
      control: { events: 0, trials: 0 },
      candidate: { events: 3, trials: 3 },
      alternative: "greater",
      mixtureStandardDeviation: 0.05,
      alpha: 0.05,
    });
    expect(result).toMatchObject({
      pValue: 1,
      rejectsNull: false,
      confidenceSequence: { lower: -1, upper: 1 },
    });
  });
});

/**
 * ln ∫ exp(θ d/v − θ²/(2v)) · mixing density dθ by Simpson's rule, over ±15 posterior standard deviations around
 * the integrand's peak (cut to the alternative's side), in log space.
 */
function logMixtureByQuadrature(
  difference: number,
  variance: number,
  tau: number,
  alternative: Alternative,
): number {
  const tau2 = tau * tau;
  const peak = (difference * tau2) / (variance + tau2);
  const spread = 15 * Math.sqrt((variance * tau2) / (variance + tau2));
  let from = peak - spread;
  let to = peak + spread;
  // On the wrong side the integrand falls from the boundary like exp(−θ|d|/v): integrate over that length instead.
  const decay = 60 * (variance / Math.abs(difference));
  if (alternative === "greater") [from, to] = [Math.max(0, from), Math.max(to, Math.min(spread, decay))];
  if (alternative === "less") [from, to] = [Math.min(from, -Math.min(spread, decay)), Math.min(0, to)];
  const weight = alternative === "two-sided" ? 1 : 2;
  const steps = 8000;
  const h = (to - from) / steps;
  const logTerms: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const theta = from + i * h;
    const simpson = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
    const logDensity = -0.5 * Math.log(2 * Math.PI * tau2) - (theta * theta) / (2 * tau2);
    logTerms.push(
      Math.log(simpson) + logDensity + (theta * difference) / variance - (theta * theta) / (2 * variance),
    );
  }
  const max = Math.max(...logTerms);
  const sum = logTerms.reduce((total, term) => total + Math.exp(term - max), 0);
  return Math.log(weight) + max + Math.log((sum * h) / 3);
}
