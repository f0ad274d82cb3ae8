/** The power curve of one stage's promotion test, and the τ choice (bench/rollout-simulation.ts). */
import type { RolloutPolicy } from "../../src/rollout/core/rollout-policy.js";
import { createSeededRandom } from "../../src/statistics/seeded-random.js";
import { quantile } from "../../src/rollout/core/simulation/simulate-experiments.js";
import {
  shareCrossedBy,
  simulateStageTestCrossings,
} from "../../src/rollout/core/simulation/stage-test-power.js";

/** Candidate labelled counts at which the power curve is read. */
const curvePoints = [100, 200, 300, 400, 500, 600, 800, 1000, 1500, 2000];

export interface CurveFigures {
  name: string;
  /** Share of runs whose test had crossed by each candidate labelled count. */
  crossedBy: Record<number, number>;
  medianCrossing: number | null;
}

/**
 * One stage's promotion test alone (no duration minimum), looked at every 5 candidate labels up to 3,000: how
 * the detection of 15% → 10% grows with the labels, with and without the policy's minimum, at 10% and 50%
 * allocation; the A/A false-promotion rate; and the τ choice (0.02, 0.05, 0.1) for improvement and harm.
 */
export function powerCurves(policy: RolloutPolicy, seed: number, runs: number): CurveFigures[] {
  const { alpha, mixtureStandardDeviation } = policy.promotion;
  const base = { controlRate: 0.15, lookEvery: 5, maximumCandidateTrials: 3000, runs, alpha } as const;
  const curves: Array<[string, Parameters<typeof simulateStageTestCrossings>[0]]> = [];
  for (const [allocation, controlPerCandidate] of [
    ["10%", 9],
    ["50%", 1],
  ] as const) {
    for (const minimum of [10, policy.minimumLabelledPerArm]) {
      curves.push([
        `15%→10% at ${allocation}, minimum ${minimum}, τ ${mixtureStandardDeviation}`,
        {
          ...base,
          candidateRate: 0.1,
          controlPerCandidate,
          alternative: "less",
          mixtureStandardDeviation,
          minimumCandidateTrials: minimum,
          random: createSeededRandom(seed),
        },
      ]);
      curves.push([
        `A/A at ${allocation}, minimum ${minimum} (false promotions)`,
        {
          ...base,
          candidateRate: 0.15,
          controlPerCandidate,
          alternative: "less",
          mixtureStandardDeviation,
          minimumCandidateTrials: minimum,
          random: createSeededRandom(seed),
        },
      ]);
    }
  }
  // The labelled error rate is one of the seven guardrails a classifier has (guardrailApplies).
  const guardrailAlpha = policy.guardrailAlpha / 7;
  for (const tau of [0.02, 0.05, 0.1]) {
    curves.push([
      `τ ${tau}: 15%→10% at 10%, minimum ${policy.minimumLabelledPerArm}`,
      {
        ...base,
        candidateRate: 0.1,
        controlPerCandidate: 9,
        alternative: "less",
        mixtureStandardDeviation: tau,
        minimumCandidateTrials: policy.minimumLabelledPerArm,
        random: createSeededRandom(seed),
      },
    ]);
    curves.push([
      `τ ${tau}: harm 15%→25% at 10% (guardrail, α ${round(guardrailAlpha, 4)}, minimum 30)`,
      {
        ...base,
        candidateRate: 0.25,
        controlPerCandidate: 9,
        alternative: "greater",
        mixtureStandardDeviation: tau,
        alpha: guardrailAlpha,
        minimumCandidateTrials: 30,
        random: createSeededRandom(seed),
      },
    ]);
  }
  return curves.map(([name, options]) => {
    const crossings = simulateStageTestCrossings(options);
    const crossedBy = Object.fromEntries(
      curvePoints.map((point) => [point, round(shareCrossedBy(crossings, point), 3)]),
    );
    const median = quantile(crossings, 0.5);
    return { name, crossedBy, medianCrossing: Number.isFinite(median) ? median : null };
  });
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
