import { decideRollout } from "../decide-rollout.js";
import type { RolloutReasonCode } from "../rollout-decision.js";
import type { GuardrailName, RolloutPolicy } from "../rollout-policy.js";
import type { ArmStatistics, RolloutState, StageArms } from "../rollout-state.js";
import { sampleBinomial, sampleMultinomial } from "./sample-binomial.js";
import type { RandomSource } from "./seeded-random.js";

/** How one arm's prompt version behaves: the true rates the simulation draws from. */
export interface ArmBehaviour {
  /** P(a labelled interaction is wrong). */
  errorRate: number;
  /** P(an exposure ends in an exit). */
  exitRate: number;
  /** P(a feedback event is negative). */
  negativeFeedbackRate: number;
  /** P(a request fails in the engine). */
  engineErrorRate: number;
  /** P(a completed request is slower than the stage's latency threshold); 0.05 when it is control's p95. */
  slowRequestRate: number;
  /** The share of each predicted label; sums to 1. */
  labelShares: Readonly<Record<string, number>>;
}

/** The traffic and feedback the service sees. Each unit (user) makes one request: the simplest honest model. */
export interface TrafficModel {
  /** Units arriving per hour over both arms. */
  unitsPerHour: number;
  /** Share of completed requests that get a correctness label (explicit right/wrong feedback). */
  labelledShare: number;
  /** Share of completed requests that can show an exit. */
  exposureShare: number;
  /** Share of completed requests with any explicit feedback. */
  feedbackShare: number;
  /** Added to the configured candidate share when traffic is split: 0.02 turns a 10/90 split into 12/88. */
  assignmentBias: number;
}

/** One simulated situation. */
export interface SimulationScenario {
  name: string;
  control: ArmBehaviour;
  candidate: ArmBehaviour;
  traffic: TrafficModel;
  /** Hours between two looks of the decision core (1 = hourly, 24 = daily). */
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
  /** Labelled interactions in the candidate arm in the final stage, when the decision was made. */
  candidateLabelledInStage: number;
  /** Labelled interactions in the candidate arm over all stages. */
  candidateLabelledTotal: number;
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
const startedAt = Date.UTC(2026, 0, 1);

/**
 * Runs one experiment: traffic arrives in the configured split, feedback and failures are drawn from each arm's
 * true rates, {@link decideRollout} looks every `lookEveryHours`, and its ramps are applied, until it promotes,
 * rolls back or halts. Pure apart from the injected random source.
 */
export function simulateExperiment(options: SimulateExperimentOptions): ExperimentOutcome {
  const { scenario, policy, random } = options;
  let state: RolloutState = {
    experimentId: "simulated",
    task: "sentiment",
    controlVersionId: "control",
    candidateVersionId: "candidate",
    stageIndex: 0,
    startedAt,
    stageStartedAt: startedAt,
    status: "running",
  };
  let arms = emptyArms();
  let candidateLabelledBefore = 0;
  for (let hours = scenario.lookEveryHours; ; hours += scenario.lookEveryHours) {
    const share = policy.rampSteps[state.stageIndex]!.share;
    addTraffic(arms, scenario, share, random);
    const now = startedAt + hours * hour;
    const decision = decideRollout({ state, arms, policy, now, confidenceSequences: false });
    if (decision.action === "continue") continue;
    if (decision.action === "ramp") {
      candidateLabelledBefore += arms.candidate.labelled;
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
      candidateLabelledInStage: arms.candidate.labelled,
      candidateLabelledTotal: candidateLabelledBefore + arms.candidate.labelled,
      unitsInStage: arms.control.assignedUnits + arms.candidate.assignedUnits,
    };
  }
}

function addTraffic(
  arms: StageArms,
  scenario: SimulationScenario,
  share: number,
  random: RandomSource,
): void {
  const { traffic } = scenario;
  const units = Math.round(traffic.unitsPerHour * scenario.lookEveryHours);
  const observedShare = Math.min(1, Math.max(0, share + traffic.assignmentBias));
  const candidateUnits = sampleBinomial(units, observedShare, random);
  addArmTraffic(arms.control, units - candidateUnits, scenario.control, traffic, random);
  addArmTraffic(arms.candidate, candidateUnits, scenario.candidate, traffic, random);
}

function addArmTraffic(
  arm: ArmStatistics,
  units: number,
  behaviour: ArmBehaviour,
  traffic: TrafficModel,
  random: RandomSource,
): void {
  const engineErrors = sampleBinomial(units, behaviour.engineErrorRate, random);
  const completed = units - engineErrors;
  const labelled = sampleBinomial(completed, traffic.labelledShare, random);
  const exposures = sampleBinomial(completed, traffic.exposureShare, random);
  const feedbackEvents = sampleBinomial(completed, traffic.feedbackShare, random);
  const labels = sampleMultinomial(completed, behaviour.labelShares, random);
  arm.assignedUnits += units;
  arm.requests += units;
  arm.engineErrors += engineErrors;
  arm.slowRequests += sampleBinomial(completed, behaviour.slowRequestRate, random);
  arm.labelled += labelled;
  arm.errors += sampleBinomial(labelled, behaviour.errorRate, random);
  arm.exposures += exposures;
  arm.exits += sampleBinomial(exposures, behaviour.exitRate, random);
  arm.feedbackEvents += feedbackEvents;
  arm.negativeFeedback += sampleBinomial(feedbackEvents, behaviour.negativeFeedbackRate, random);
  const labelCounts = { ...arm.labelCounts };
  for (const [label, count] of Object.entries(labels)) labelCounts[label] = (labelCounts[label] ?? 0) + count;
  arm.labelCounts = labelCounts;
}

function emptyArms(): StageArms {
  const empty = (): ArmStatistics => ({
    assignedUnits: 0,
    requests: 0,
    engineErrors: 0,
    slowRequests: 0,
    labelled: 0,
    errors: 0,
    exposures: 0,
    exits: 0,
    feedbackEvents: 0,
    negativeFeedback: 0,
    labelCounts: {},
  });
  return { control: empty(), candidate: empty() };
}
