import type { ArmStatistics, StageArms } from "../rollout-state.js";
import { sampleBinomial, sampleMultinomial } from "./sample-binomial.js";
import { samplePoisson } from "./sample-poisson.js";
import type { RandomSource } from "../../../statistics/seeded-random.js";

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
  /** P(a scored turn is bad: its fused quality score is below the threshold, or it was rated ≤ 2). */
  badTurnRate: number;
  /** The share of each predicted label; sums to 1. Empty for a generator (no labels). */
  labelShares: Readonly<Record<string, number>>;
}

/**
 * The traffic and feedback the service sees. Units (users) arrive at random (Poisson) at a rate that follows the
 * time of day, and each makes between `requestsPerUnit.minimum` and `.maximum` requests (uniformly), all in the
 * look where it arrived. Feedback and failures are drawn per request, independently.
 */
export interface TrafficModel {
  /** Units arriving per hour over both arms, averaged over a day. */
  unitsPerHour: number;
  /**
   * Day/night cycle: the arrival rate is unitsPerHour · (1 + a · cos(2π (h − 14) / 24)) at hour h of the day,
   * peaking at 14:00. 0 = flat; 0.7 = from 30% of the mean at 02:00 to 170% at 14:00.
   */
  dailyAmplitude: number;
  /** Requests per unit, uniform over the integers in [minimum, maximum]. */
  requestsPerUnit: { minimum: number; maximum: number };
  /** Share of completed requests that get a correctness label (explicit right/wrong feedback). */
  labelledShare: number;
  /** Share of completed requests that can show an exit. */
  exposureShare: number;
  /** Share of completed requests with any explicit feedback. */
  feedbackShare: number;
  /** Share of completed requests with a fused quality score (any explicit or implicit signal on the turn). */
  scoredShare: number;
  /** Added to the configured candidate share when traffic is split: 0.02 turns a 10/90 split into 12/88. */
  assignmentBias: number;
}

const peakHour = 14;

/** Expected arrivals between hour `from` and hour `from + hours` of the experiment (started at midnight). */
export function expectedArrivals(
  traffic: Pick<TrafficModel, "unitsPerHour" | "dailyAmplitude">,
  from: number,
  hours: number,
): number {
  const angle = (hour: number) => (2 * Math.PI * (hour - peakHour)) / 24;
  const cycle =
    ((traffic.dailyAmplitude * 24) / (2 * Math.PI)) * (Math.sin(angle(from + hours)) - Math.sin(angle(from)));
  return Math.max(0, traffic.unitsPerHour * (hours + cycle));
}

/** Adds one look's traffic (hours `from` to `from + hours`) to the arms, split at `share` plus the bias. */
export function addLookTraffic(
  arms: StageArms,
  traffic: TrafficModel,
  behaviour: { control: ArmBehaviour; candidate: ArmBehaviour },
  window: { from: number; hours: number; share: number },
  random: RandomSource,
): void {
  const units = samplePoisson(expectedArrivals(traffic, window.from, window.hours), random);
  const observedShare = Math.min(1, Math.max(0, window.share + traffic.assignmentBias));
  const candidateUnits = sampleBinomial(units, observedShare, random);
  addArmTraffic(arms.control, units - candidateUnits, behaviour.control, traffic, random);
  addArmTraffic(arms.candidate, candidateUnits, behaviour.candidate, traffic, random);
}

function addArmTraffic(
  arm: ArmStatistics,
  units: number,
  behaviour: ArmBehaviour,
  traffic: TrafficModel,
  random: RandomSource,
): void {
  const { minimum, maximum } = traffic.requestsPerUnit;
  let requests = 0;
  for (let unit = 0; unit < units; unit++)
    requests += minimum + Math.floor(random() * (maximum - minimum + 1));
  const engineErrors = sampleBinomial(requests, behaviour.engineErrorRate, random);
  const completed = requests - engineErrors;
  const labelled = sampleBinomial(completed, traffic.labelledShare, random);
  const exposures = sampleBinomial(completed, traffic.exposureShare, random);
  const feedbackEvents = sampleBinomial(completed, traffic.feedbackShare, random);
  const scoredTurns = sampleBinomial(completed, traffic.scoredShare, random);
  arm.assignedUnits += units;
  arm.requests += requests;
  arm.engineErrors += engineErrors;
  arm.slowRequests += sampleBinomial(completed, behaviour.slowRequestRate, random);
  arm.labelled += labelled;
  arm.errors += sampleBinomial(labelled, behaviour.errorRate, random);
  arm.exposures += exposures;
  arm.exits += sampleBinomial(exposures, behaviour.exitRate, random);
  arm.feedbackEvents += feedbackEvents;
  arm.negativeFeedback += sampleBinomial(feedbackEvents, behaviour.negativeFeedbackRate, random);
  arm.scoredTurns = (arm.scoredTurns ?? 0) + scoredTurns;
  arm.badTurns = (arm.badTurns ?? 0) + sampleBinomial(scoredTurns, behaviour.badTurnRate, random);
  if (Object.keys(behaviour.labelShares).length === 0) return;
  const labels = sampleMultinomial(completed, behaviour.labelShares, random);
  const labelCounts = { ...arm.labelCounts };
  for (const [label, count] of Object.entries(labels)) labelCounts[label] = (labelCounts[label] ?? 0) + count;
  arm.labelCounts = labelCounts;
}

/** Both arms with nothing counted yet. */
export function emptyArms(): StageArms {
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
    scoredTurns: 0,
    badTurns: 0,
    labelCounts: {},
  });
  return { control: empty(), candidate: empty() };
}
