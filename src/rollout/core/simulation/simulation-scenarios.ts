import type { SimulationScenario } from "./simulate-experiment.js";
import type { ArmBehaviour, TrafficModel } from "./simulated-traffic.js";

/**
 * The control sentiment prompt: the write-up's trigger level of 15% labelled errors, 10% exits, 15% negative
 * feedback, 0.5% engine failures, 5% of requests above the latency threshold (by definition of control's p95),
 * and a 60/40 正面/负面 split. No fused quality score (src/feedback scores generated replies).
 */
export const baselineBehaviour: ArmBehaviour = {
  errorRate: 0.15,
  exitRate: 0.1,
  negativeFeedbackRate: 0.15,
  engineErrorRate: 0.005,
  slowRequestRate: 0.05,
  badTurnRate: 0,
  labelShares: { 正面: 0.6, 负面: 0.4 },
};

/**
 * The control chat prompt: 30% of scored turns are bad (fused quality score below the threshold, or rated ≤ 2),
 * 30% of explicit feedback negative, no labels and no predicted labels; exits, engine failures and latency as
 * for sentiment.
 */
export const chatBaselineBehaviour: ArmBehaviour = {
  ...baselineBehaviour,
  errorRate: 0,
  negativeFeedbackRate: 0.3,
  badTurnRate: 0.3,
  labelShares: {},
};

/**
 * The documented traffic: 250 users an hour on average over a day (6,000 a day), arriving at random with a
 * day/night cycle (30% of the mean at 02:00, 170% at 14:00), each making 1–3 requests (2 on average). 20% of
 * answers get a correctness label, every answer can show an exit, 20% get explicit feedback. So 100 labelled
 * interactions an hour in all; a 10% canary collects about 10.
 */
export const documentedTraffic: TrafficModel = {
  unitsPerHour: 250,
  dailyAmplitude: 0.7,
  requestsPerUnit: { minimum: 1, maximum: 3 },
  labelledShare: 0.2,
  exposureShare: 1,
  feedbackShare: 0.2,
  scoredShare: 0,
  assignmentBias: 0,
};

/** Chat traffic: as documented, but half of the turns carry a fused quality score and none a label. */
export const chatTraffic: TrafficModel = { ...documentedTraffic, labelledShare: 0, scoredShare: 0.5 };

/** The default ROLLOUT_CRON looks every 15 minutes. */
export const defaultLookEveryHours = 0.25;

/** Builds a sentiment scenario from the baseline, changing only what the scenario is about. */
export function scenarioOf(
  name: string,
  candidate: Partial<ArmBehaviour>,
  traffic: Partial<TrafficModel> = {},
  lookEveryHours = defaultLookEveryHours,
): SimulationScenario {
  return {
    name,
    taskKind: "classifier",
    control: baselineBehaviour,
    candidate: { ...baselineBehaviour, ...candidate },
    traffic: { ...documentedTraffic, ...traffic },
    lookEveryHours,
  };
}

/** Builds a chat (generator) scenario from the chat baseline. */
export function chatScenarioOf(
  name: string,
  candidate: Partial<ArmBehaviour>,
  traffic: Partial<TrafficModel> = {},
): SimulationScenario {
  return {
    name,
    taskKind: "generator",
    control: chatBaselineBehaviour,
    candidate: { ...chatBaselineBehaviour, ...candidate },
    traffic: { ...chatTraffic, ...traffic },
    lookEveryHours: defaultLookEveryHours,
  };
}

/** The scenarios the issues ask about, at the documented traffic unless named otherwise. */
export const decisionQualityScenarios = {
  /** Candidate identical to control: promotions here are false positives. */
  aa: scenarioOf("A/A (no difference)", {}),
  /** Error rate 15% → 10%: should be promoted. */
  better: scenarioOf("better: errors 15% → 10%", { errorRate: 0.1 }),
  /** Error rate 10 points higher: should be stopped fast. */
  harmfulErrors: scenarioOf("harmful: errors 15% → 25%", { errorRate: 0.25 }),
  /** Exit rate doubled: should be stopped fast (the write-up's trigger). */
  harmfulExits: scenarioOf("harmful: exits 10% → 20%", { exitRate: 0.2 }),
  /** A/A with traffic split 12/88 instead of 10/90: should halt on the sample-ratio mismatch. */
  sampleRatioMismatch: scenarioOf("A/A split 12/88 instead of 10/90", {}, { assignmentBias: 0.02 }),
  /** A small site, 25 users an hour (about 10 labelled interactions an hour in all). */
  smallSiteBetter: scenarioOf(
    "25 users/h, better: errors 15% → 10%",
    { errorRate: 0.1 },
    { unitsPerHour: 25 },
  ),
  smallSiteWorse: scenarioOf(
    "25 users/h, worse: errors 15% → 18%",
    { errorRate: 0.18 },
    { unitsPerHour: 25 },
  ),
  smallSiteAa: scenarioOf("25 users/h, A/A", {}, { unitsPerHour: 25 }),
  /** Chat judged on its bad-turn rate. */
  chatAa: chatScenarioOf("chat A/A (30% bad turns)", {}),
  chatBetter: chatScenarioOf("chat better: bad turns 30% → 20%", { badTurnRate: 0.2 }),
  chatHarmful: chatScenarioOf("chat harmful: bad turns 30% → 40%", { badTurnRate: 0.4 }),
} satisfies Record<string, SimulationScenario>;
