import type { ArmBehaviour, SimulationScenario, TrafficModel } from "./simulate-experiment.js";

/**
 * The control prompt: the write-up's trigger level of 15% labelled errors, 10% exits, 15% negative feedback,
 * 0.5% engine failures, 5% of requests above the latency threshold (by definition of control's p95), and a
 * 60/40 正面/负面 split.
 */
export const baselineBehaviour: ArmBehaviour = {
  errorRate: 0.15,
  exitRate: 0.1,
  negativeFeedbackRate: 0.15,
  engineErrorRate: 0.005,
  slowRequestRate: 0.05,
  labelShares: { 正面: 0.6, 负面: 0.4 },
};

/**
 * The documented traffic: 250 units an hour (6,000 a day), one request each; 20% of answers get a correctness
 * label, every answer can show an exit, 20% get explicit feedback. A 10% canary then collects about 5 labelled
 * interactions an hour (360 in its 72 hours) and control about 45.
 */
export const documentedTraffic: TrafficModel = {
  unitsPerHour: 250,
  labelledShare: 0.2,
  exposureShare: 1,
  feedbackShare: 0.2,
  assignmentBias: 0,
};

/** Builds a scenario from the baseline, changing only what the scenario is about. */
export function scenarioOf(
  name: string,
  candidate: Partial<ArmBehaviour>,
  traffic: Partial<TrafficModel> = {},
  lookEveryHours = 1,
): SimulationScenario {
  return {
    name,
    control: baselineBehaviour,
    candidate: { ...baselineBehaviour, ...candidate },
    traffic: { ...documentedTraffic, ...traffic },
    lookEveryHours,
  };
}

/** The scenarios the issue asks about. */
export const decisionQualityScenarios = {
  /** Candidate identical to control: promotions here are false positives. */
  aa: scenarioOf("A/A (no difference)", {}),
  /** Error rate 15% → 10%: should be promoted. */
  better: scenarioOf("better: errors 15% → 10%", { errorRate: 0.1 }),
  /** Error rate 10 points higher: should be rolled back fast. */
  harmfulErrors: scenarioOf("harmful: errors 15% → 25%", { errorRate: 0.25 }),
  /** Exit rate doubled: should be rolled back fast (the write-up's trigger). */
  harmfulExits: scenarioOf("harmful: exits 10% → 20%", { exitRate: 0.2 }),
  /** A/A with traffic split 12/88 instead of 10/90: should halt on the sample-ratio mismatch. */
  sampleRatioMismatch: scenarioOf("A/A split 12/88 instead of 10/90", {}, { assignmentBias: 0.02 }),
} satisfies Record<string, SimulationScenario>;
