import { sampleRatioTest, type SampleRatioMethod } from "../stats/sample-ratio-test.js";
import { sampleBinomial } from "./sample-binomial.js";
import { samplePoisson } from "./sample-poisson.js";
import type { RandomSource } from "../../../statistics/seeded-random.js";
import { expectedArrivals, type TrafficModel } from "./simulated-traffic.js";

/** Options of {@link simulateSampleRatioChecks}. */
export interface SampleRatioSimulationOptions {
  /** Arrivals (units per hour, day/night cycle); the other traffic fields are not used. */
  traffic: Pick<TrafficModel, "unitsPerHour" | "dailyAmplitude">;
  /** The configured candidate share, e.g. 0.1. */
  expectedShare: number;
  /** The share units really get, e.g. 0.12 for a broken 12/88 split. */
  trueShare: number;
  method: SampleRatioMethod;
  threshold: number;
  /** The sequential method's prior concentration. */
  concentration: number;
  lookEveryHours: number;
  /** How long the split is checked, e.g. 336 hours (14 days). */
  hours: number;
  runs: number;
  random: RandomSource;
}

/**
 * The sample-ratio check alone, as one stage runs it: units arrive at random with the day/night cycle, go to the
 * candidate with `trueShare`, and the test looks every `lookEveryHours` against `expectedShare` until it flags a
 * mismatch or `hours` have passed. Returns, per run, the units in the stage when it first flagged (Infinity if it
 * never did): with trueShare = expectedShare the share of finite values is the false-halt rate.
 */
export function simulateSampleRatioChecks(options: SampleRatioSimulationOptions): number[] {
  const { random, lookEveryHours } = options;
  return Array.from({ length: options.runs }, () => {
    let control = 0;
    let candidate = 0;
    for (let from = 0; from < options.hours; from += lookEveryHours) {
      const units = samplePoisson(expectedArrivals(options.traffic, from, lookEveryHours), random);
      const toCandidate = sampleBinomial(units, options.trueShare, random);
      candidate += toCandidate;
      control += units - toCandidate;
      const result = sampleRatioTest({
        observed: [control, candidate],
        expectedShares: [1 - options.expectedShare, options.expectedShare],
        threshold: options.threshold,
        method: options.method,
        concentration: options.concentration,
      });
      if (result.mismatch) return control + candidate;
    }
    return Number.POSITIVE_INFINITY;
  });
}
