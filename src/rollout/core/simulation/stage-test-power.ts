import { sequentialDifferenceTest, type Alternative } from "../stats/sequential-difference-test.js";
import { sampleBinomial } from "./sample-binomial.js";
import type { RandomSource } from "../../../statistics/seeded-random.js";

/** Options of {@link simulateStageTestCrossings}. */
export interface StageTestCrossingOptions {
  /** True event rate of control, e.g. 0.15 labelled errors. */
  controlRate: number;
  /** True event rate of the candidate. */
  candidateRate: number;
  /** Control trials per candidate trial: 9 in a 10% canary, 1 at 50%. */
  controlPerCandidate: number;
  alternative: Exclude<Alternative, "two-sided">;
  nullDifference?: number;
  /** τ of the mixture. */
  mixtureStandardDeviation: number;
  alpha: number;
  /** No look before the candidate arm has this many trials (the policy's minimum). */
  minimumCandidateTrials: number;
  /** Stop (never crossed) at this many candidate trials. */
  maximumCandidateTrials: number;
  /** Candidate trials between two looks. */
  lookEvery: number;
  runs: number;
  random: RandomSource;
}

/**
 * One stage's sequential test in isolation: trials arrive in a fixed allocation, the test looks every
 * `lookEvery` candidate trials, and each run records the candidate trials at the first look where the test
 * rejects (Infinity if it never does). The share of runs crossed by n candidate trials is the test's power
 * (or, with equal rates, its false-positive rate) at that sample size under continuous monitoring.
 */
export function simulateStageTestCrossings(options: StageTestCrossingOptions): number[] {
  const { random, lookEvery } = options;
  return Array.from({ length: options.runs }, () => {
    let candidateEvents = 0;
    let controlEvents = 0;
    for (let trials = lookEvery; trials <= options.maximumCandidateTrials; trials += lookEvery) {
      candidateEvents += sampleBinomial(lookEvery, options.candidateRate, random);
      controlEvents += sampleBinomial(lookEvery * options.controlPerCandidate, options.controlRate, random);
      if (trials < options.minimumCandidateTrials) continue;
      const test = sequentialDifferenceTest({
        control: { events: controlEvents, trials: trials * options.controlPerCandidate },
        candidate: { events: candidateEvents, trials },
        alternative: options.alternative,
        nullDifference: options.nullDifference ?? 0,
        mixtureStandardDeviation: options.mixtureStandardDeviation,
        alpha: options.alpha,
        withConfidenceSequence: false,
      });
      if (test.rejectsNull) return trials;
    }
    return Number.POSITIVE_INFINITY;
  });
}

/** The share of runs whose first crossing came at or before `trials`. */
export function shareCrossedBy(crossings: readonly number[], trials: number): number {
  return crossings.filter((crossing) => crossing <= trials).length / crossings.length;
}
