import type { RolloutReasonCode } from "../rollout-decision.js";
import type { GuardrailName, RolloutPolicy } from "../rollout-policy.js";
import { createSeededRandom } from "./seeded-random.js";
import {
  simulateExperiment,
  type ExperimentOutcome,
  type SimulationScenario,
} from "./simulate-experiment.js";

/** What many runs of one scenario show. Shares are in [0, 1]. */
export interface SimulationSummary {
  scenario: string;
  runs: number;
  seed: number;
  /** Share of runs that ended in each action. */
  promoted: number;
  rolledBack: number;
  halted: number;
  /** Share of runs rolled back by a guardrail (as opposed to a timeout). */
  rolledBackByGuardrail: number;
  /** How many guardrail rollbacks each guardrail took part in. */
  guardrailCounts: Partial<Record<GuardrailName, number>>;
  /** How many runs ended with each reason. */
  reasonCounts: Partial<Record<RolloutReasonCode, number>>;
  /** Median hours from start to the final decision. */
  medianHours: number;
  /** Over guardrail rollbacks: median and 90th percentile of the candidate's labelled interactions at rollback. */
  candidateLabelledAtGuardrailRollback: { median: number; p90: number } | null;
  /** Over halts: median and 95th percentile of the units in the stage when it halted. */
  unitsAtHalt: { median: number; p95: number } | null;
  /** Over promotions: median labelled interactions in the candidate arm over all stages. */
  candidateLabelledAtPromotion: { median: number } | null;
}

/** Options of {@link simulateExperiments}. */
export interface SimulateExperimentsOptions {
  scenario: SimulationScenario;
  policy: RolloutPolicy;
  runs: number;
  /** Seed of the run sequence; the same seed gives the same figures. */
  seed: number;
}

/** Runs one scenario many times from one seeded generator and summarises the outcomes. */
export function simulateExperiments(options: SimulateExperimentsOptions): {
  summary: SimulationSummary;
  outcomes: ExperimentOutcome[];
} {
  const { scenario, policy, runs, seed } = options;
  const random = createSeededRandom(seed);
  const outcomes = Array.from({ length: runs }, () => simulateExperiment({ scenario, policy, random }));
  const share = (predicate: (outcome: ExperimentOutcome) => boolean) =>
    outcomes.filter(predicate).length / runs;
  const reasonCounts: Partial<Record<RolloutReasonCode, number>> = {};
  for (const outcome of outcomes)
    reasonCounts[outcome.reasonCode] = (reasonCounts[outcome.reasonCode] ?? 0) + 1;
  const guardrailRollbacks = outcomes.filter((outcome) => outcome.reasonCode === "guardrail_degraded");
  const guardrailCounts: Partial<Record<GuardrailName, number>> = {};
  for (const outcome of guardrailRollbacks) {
    for (const name of outcome.degradedGuardrails) guardrailCounts[name] = (guardrailCounts[name] ?? 0) + 1;
  }
  const halts = outcomes.filter((outcome) => outcome.action === "halt");
  const promotions = outcomes.filter((outcome) => outcome.action === "promote");
  const labelledAtRollback = guardrailRollbacks.map((outcome) => outcome.candidateLabelledInStage);
  const unitsAtHalt = halts.map((outcome) => outcome.unitsInStage);
  return {
    outcomes,
    summary: {
      scenario: scenario.name,
      runs,
      seed,
      promoted: share((outcome) => outcome.action === "promote"),
      rolledBack: share((outcome) => outcome.action === "rollback"),
      halted: share((outcome) => outcome.action === "halt"),
      rolledBackByGuardrail: guardrailRollbacks.length / runs,
      guardrailCounts,
      reasonCounts,
      medianHours: quantile(
        outcomes.map((outcome) => outcome.hours),
        0.5,
      ),
      candidateLabelledAtGuardrailRollback:
        labelledAtRollback.length === 0
          ? null
          : { median: quantile(labelledAtRollback, 0.5), p90: quantile(labelledAtRollback, 0.9) },
      unitsAtHalt:
        unitsAtHalt.length === 0
          ? null
          : { median: quantile(unitsAtHalt, 0.5), p95: quantile(unitsAtHalt, 0.95) },
      candidateLabelledAtPromotion:
        promotions.length === 0
          ? null
          : {
              median: quantile(
                promotions.map((outcome) => outcome.candidateLabelledTotal),
                0.5,
              ),
            },
    },
  };
}

/** The q-quantile by the nearest-rank method (an observed value, no interpolation). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
