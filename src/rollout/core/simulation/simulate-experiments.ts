import type { RolloutReasonCode } from "../rollout-decision.js";
import type { GuardrailName, RolloutPolicy } from "../rollout-policy.js";
import { createSeededRandom } from "../../../statistics/seeded-random.js";
import {
  simulateExperiment,
  type ExperimentOutcome,
  type SimulationScenario,
} from "./simulate-experiment.js";

/** The horizon the targets are stated over: 14 days. */
export const targetHorizonHours = 14 * 24;

/** What many runs of one scenario show. Shares are in [0, 1]. */
export interface SimulationSummary {
  scenario: string;
  runs: number;
  seed: number;
  /** Share of runs that ended in each action. */
  promoted: number;
  rolledBack: number;
  halted: number;
  /** Share of runs promoted within {@link targetHorizonHours} of the start. */
  promotedWithinHorizon: number;
  /** Share of runs rolled back by a guardrail, and by the futility test. */
  rolledBackByGuardrail: number;
  rolledBackAsFutile: number;
  /** How many guardrail rollbacks each guardrail took part in. */
  guardrailCounts: Partial<Record<GuardrailName, number>>;
  /** How many runs ended with each reason. */
  reasonCounts: Partial<Record<RolloutReasonCode, number>>;
  /** Median hours from start to the final decision, over all runs; and over the promoted ones. */
  medianHours: number;
  medianHoursToPromotion: number | null;
  /**
   * Over runs stopped by a guardrail or by futility: median and 90th percentile of the candidate's primary-metric
   * trials (labelled interactions, scored turns) over all stages when it was stopped.
   */
  candidateTrialsAtStop: { median: number; p90: number } | null;
  /** Over halts: median and 95th percentile of the units in the stage when it halted. */
  unitsAtHalt: { median: number; p95: number } | null;
  /** Over promotions: median primary-metric trials in the candidate arm over all stages. */
  candidateTrialsAtPromotion: { median: number } | null;
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
  return { outcomes, summary: summarise(scenario.name, outcomes, seed) };
}

/** The summary of one scenario's outcomes. */
export function summarise(
  scenario: string,
  outcomes: readonly ExperimentOutcome[],
  seed: number,
): SimulationSummary {
  const runs = outcomes.length;
  const share = (predicate: (outcome: ExperimentOutcome) => boolean) =>
    outcomes.filter(predicate).length / runs;
  const reasonCounts: Partial<Record<RolloutReasonCode, number>> = {};
  for (const outcome of outcomes)
    reasonCounts[outcome.reasonCode] = (reasonCounts[outcome.reasonCode] ?? 0) + 1;
  const guardrailCounts: Partial<Record<GuardrailName, number>> = {};
  for (const outcome of outcomes) {
    for (const name of outcome.degradedGuardrails) guardrailCounts[name] = (guardrailCounts[name] ?? 0) + 1;
  }
  const stopped = outcomes.filter((outcome) =>
    ["guardrail_degraded", "candidate_futile"].includes(outcome.reasonCode),
  );
  const promotions = outcomes.filter((outcome) => outcome.action === "promote");
  const unitsAtHalt = outcomes
    .filter((outcome) => outcome.action === "halt")
    .map((outcome) => outcome.unitsInStage);
  const trialsAtStop = stopped.map((outcome) => outcome.candidateTrialsTotal);
  return {
    scenario,
    runs,
    seed,
    promoted: promotions.length / runs,
    rolledBack: share((outcome) => outcome.action === "rollback"),
    halted: share((outcome) => outcome.action === "halt"),
    promotedWithinHorizon: share(
      (outcome) => outcome.action === "promote" && outcome.hours <= targetHorizonHours,
    ),
    rolledBackByGuardrail: share((outcome) => outcome.reasonCode === "guardrail_degraded"),
    rolledBackAsFutile: share((outcome) => outcome.reasonCode === "candidate_futile"),
    guardrailCounts,
    reasonCounts,
    medianHours: quantile(
      outcomes.map((outcome) => outcome.hours),
      0.5,
    ),
    medianHoursToPromotion:
      promotions.length === 0
        ? null
        : quantile(
            promotions.map((outcome) => outcome.hours),
            0.5,
          ),
    candidateTrialsAtStop:
      trialsAtStop.length === 0
        ? null
        : { median: quantile(trialsAtStop, 0.5), p90: quantile(trialsAtStop, 0.9) },
    unitsAtHalt:
      unitsAtHalt.length === 0
        ? null
        : { median: quantile(unitsAtHalt, 0.5), p95: quantile(unitsAtHalt, 0.95) },
    candidateTrialsAtPromotion:
      promotions.length === 0
        ? null
        : {
            median: quantile(
              promotions.map((outcome) => outcome.candidateTrialsTotal),
              0.5,
            ),
          },
  };
}

/** The q-quantile by the nearest-rank method (an observed value, no interpolation). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
