import type { AdaptedTraffic, RampStep, RolloutPolicy } from "./rollout-policy.js";

/**
 * The policy an experiment snapshots, fitted to the task's measured traffic (`policy.trafficAdaptation`). A
 * rollout's guards are counted in trials (labelled interactions, or scored turns), not in shares of traffic; at
 * a small site a fixed share leaves them out of reach within the stage durations. So, from the measured rate r
 * (trials per hour, both arms) and base rate p:
 *
 * - **a safety stage's share** rises to minimumCandidateTrials / (r · minimumDurationHours), rounded up to a whole
 *   percent and capped at maximumSafetyShare (and below the next stage's share): its minimum exposure is then expected within its minimum duration.
 *   The exposure a harmful candidate gets before a guardrail can stop it is set by the trials the test needs,
 *   which do not depend on the share; the share only sets how many hours that takes.
 * - **the decision stage's minimumLabelledPerArm** falls to the trials per arm expected in minimumSampleHours of
 *   it, but not below minimumLabelledPerArmFloor (and never above the policy's own);
 * - **the promotion test's τ** is tuned to the sample the decision stage can gather in planningHours: the
 *   mixture's boundary is narrowest where the variance of the difference v = 2p(1 − p)/n equals τ²/8, so
 *   τ = √(8v), between the policy's own τ and maximumMixtureStandardDeviation. The mSPRT keeps its level for any
 *   τ fixed before the data, and the measurement is taken before the experiment starts.
 *
 * Every change only lowers a minimum or raises a share or τ where the preset's number is out of reach: a site
 * with enough traffic gets the preset's policy back unchanged (the same object). Pure; `measured` null (no
 * history yet) or adaptation off returns the policy as it is.
 */
export function adaptPolicyToTraffic(policy: RolloutPolicy, measured: AdaptedTraffic | null): RolloutPolicy {
  const adaptation = policy.trafficAdaptation;
  if (!adaptation?.enabled || measured === null || !(measured.primaryTrialsPerHour > 0)) return policy;
  const rate = measured.primaryTrialsPerHour;
  const steps = policy.rampSteps;
  const rampSteps = steps.map((step, index): RampStep => {
    if (step.gate !== "guardrails" || step.minimumCandidateTrials === 0 || step.minimumDurationHours === 0) {
      return step;
    }
    const needed = Math.ceil((100 * step.minimumCandidateTrials) / (rate * step.minimumDurationHours)) / 100;
    const nextShare = steps[index + 1]?.share ?? 1;
    // Below the next stage's share: the shares must keep increasing.
    const share = Math.min(needed, adaptation.maximumSafetyShare, Math.ceil(100 * nextShare - 1) / 100);
    return share > step.share && share < nextShare ? { ...step, share } : step;
  });
  const decision = rampSteps.find((step) => step.gate === "significance" && step.share < 1);
  let { minimumLabelledPerArm } = policy;
  let tau = policy.promotion.mixtureStandardDeviation;
  if (decision) {
    const perArmPerHour = rate * Math.min(decision.share, 1 - decision.share);
    const expectedMinimum = Math.ceil(perArmPerHour * adaptation.minimumSampleHours);
    minimumLabelledPerArm = Math.min(
      policy.minimumLabelledPerArm,
      Math.max(expectedMinimum, adaptation.minimumLabelledPerArmFloor),
    );
    const p = Math.min(Math.max(measured.primaryEventRate, 0.05), 0.5);
    const planned = perArmPerHour * adaptation.planningHours;
    const tunedTau = Math.round(1000 * Math.sqrt((8 * 2 * p * (1 - p)) / planned)) / 1000;
    tau = Math.max(tau, Math.min(tunedTau, adaptation.maximumMixtureStandardDeviation));
  }
  const changed =
    rampSteps.some((step, index) => step !== steps[index]) ||
    minimumLabelledPerArm !== policy.minimumLabelledPerArm ||
    tau !== policy.promotion.mixtureStandardDeviation;
  if (!changed) return policy;
  return {
    ...policy,
    rampSteps,
    minimumLabelledPerArm,
    promotion: { ...policy.promotion, mixtureStandardDeviation: tau },
    adaptedTo: { ...measured },
  };
}
