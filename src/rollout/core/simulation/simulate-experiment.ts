import { adaptPolicyToTraffic } from "../adapt-policy-to-traffic.js";
import { decideRollout } from "../decide-rollout.js";
import { primaryMetricCounts } from "../evaluate-primary-metric.js";
import type { RolloutReasonCode } from "../rollout-decision.js";
import {
  policyForTaskKind,
  type AdaptedTraffic,
  type GuardrailName,
  type RolloutPolicy,
} from "../rollout-policy.js";
import type { RolloutState } from "../rollout-state.js";
import type { RandomSource } from "../../../statistics/seeded-random.js";
import { addLookTraffic, emptyArms, type ArmBehaviour, type TrafficModel } from "./simulated-traffic.js";

/** One simulated situation. */
export interface SimulationScenario {
  name: string;
  /** `classifier` (judged on labelled errors, like sentiment) or `generator` (bad turns, like chat). */
  taskKind: "classifier" | "generator";
  control: ArmBehaviour;
  candidate: ArmBehaviour;
  traffic: TrafficModel;
  /** Hours between two looks of the decision core (0.25 = the default ROLLOUT_CRON, every 15 minutes). */
  lookEveryHours: number;
}

/** How one simulated experiment ended. */
export interface ExperimentOutcome {
  action: "promote" | "rollback" | "halt";
  reasonCode: RolloutReasonCode;
  degradedGuardrails: GuardrailName[];
  /** Hours from the start of the experiment to the decision. */
  hours: number;
  /** The stage the experiment ended in. */
  stageIndex: number;
  /** Primary-metric trials (labelled interactions; scored turns for a generator) in the candidate arm, all stages. */
  candidateTrialsTotal: number;
  /** Units in both arms of the final stage. */
  unitsInStage: number;
}

/** Options of {@link simulateExperiment}. */
export interface SimulateExperimentOptions {
  scenario: SimulationScenario;
  policy: RolloutPolicy;
  random: RandomSource;
}

const hour = 3_600_000;
/** Midnight: the day/night cycle starts at its trough's side. */
const startedAt = Date.UTC(2026, 0, 1);

/** The labelled interactions an hour the scenario's traffic gives, and control's error rate. */
export function expectedTraffic(scenario: SimulationScenario): AdaptedTraffic {
  const { unitsPerHour, requestsPerUnit, labelledShare } = scenario.traffic;
  const requestsPerHour = (unitsPerHour * (requestsPerUnit.minimum + requestsPerUnit.maximum)) / 2;
  return {
    primaryTrialsPerHour: requestsPerHour * (1 - scenario.control.engineErrorRate) * labelledShare,
    primaryEventRate: scenario.control.errorRate,
  };
}

/**
 * Runs one experiment: traffic arrives in the configured split, feedback and failures are drawn from each arm's
 * true rates, {@link decideRollout} looks every `lookEveryHours`, and its ramps are applied, until it promotes,
 * rolls back or halts. Pure apart from the injected random source.
 */
export function simulateExperiment(options: SimulateExperimentOptions): ExperimentOutcome {
  const { scenario, random } = options;
  // As the service does at the start: a classifier's policy is fitted to the traffic measured before (here the
  // scenario's expected rate, as a week of history would show it).
  const forKind = policyForTaskKind(options.policy, scenario.taskKind);
  const policy =
    scenario.taskKind === "classifier" ? adaptPolicyToTraffic(forKind, expectedTraffic(scenario)) : forKind;
  const counts = primaryMetricCounts[policy.primaryMetric];
  let state: RolloutState = {
    experimentId: "simulated",
    task: scenario.taskKind === "generator" ? "chat" : "sentiment",
    controlVersionId: "control",
    candidateVersionId: "candidate",
    stageIndex: 0,
    startedAt,
    stageStartedAt: startedAt,
    status: "running",
  };
  let arms = emptyArms();
  let candidateTrialsBefore = 0;
  const step = scenario.lookEveryHours;
  for (let look = 1; ; look++) {
    const hours = look * step;
    const share = policy.rampSteps[state.stageIndex]!.share;
    addLookTraffic(arms, scenario.traffic, scenario, { from: hours - step, hours: step, share }, random);
    const now = startedAt + hours * hour;
    const decision = decideRollout({ state, arms, policy, now, confidenceSequences: false });
    if (decision.action === "continue") continue;
    if (decision.action === "ramp") {
      candidateTrialsBefore += counts(arms.candidate).trials;
      state = { ...state, stageIndex: decision.nextStage!.index, stageStartedAt: now };
      arms = emptyArms();
      continue;
    }
    return {
      action: decision.action,
      reasonCode: decision.reasonCode,
      degradedGuardrails: decision.degradedGuardrails,
      hours,
      stageIndex: state.stageIndex,
      candidateTrialsTotal: candidateTrialsBefore + counts(arms.candidate).trials,
      unitsInStage: arms.control.assignedUnits + arms.candidate.assignedUnits,
    };
  }
}
