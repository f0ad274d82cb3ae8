import { AppError } from "../../errors.js";
import type { RolloutPolicy } from "./rollout-policy.js";
import { hashVersions } from "./unit-interval-hash.js";

/** Throws AppError CONFIG_INVALID listing every problem with `policy`. */
export function validateRolloutPolicy(policy: RolloutPolicy): void {
  const problems: string[] = [];
  if (!["labelled_error_rate", "bad_turn_rate"].includes(policy.primaryMetric)) {
    problems.push("primaryMetric must be labelled_error_rate or bad_turn_rate");
  }
  checkSteps(problems, policy);
  if (!(policy.maximumStageDurationHours > 0)) problems.push("maximumStageDurationHours must be > 0");
  if (!(Number.isInteger(policy.minimumLabelledPerArm) && policy.minimumLabelledPerArm >= 0)) {
    problems.push("minimumLabelledPerArm must be an integer >= 0");
  }
  checkLevel(problems, "promotion.alpha", policy.promotion.alpha);
  checkLevel(problems, "promotion.futilityAlpha", policy.promotion.futilityAlpha);
  checkLevel(problems, "guardrailAlpha", policy.guardrailAlpha);
  checkLevel(problems, "sampleRatioThreshold", policy.sampleRatioThreshold);
  if (!["chi-square", "sequential"].includes(policy.sampleRatioMethod)) {
    problems.push("sampleRatioMethod must be chi-square or sequential");
  }
  if (policy.holdbackShare !== undefined && !(policy.holdbackShare >= 0 && policy.holdbackShare < 0.5)) {
    problems.push("holdbackShare must be in [0, 0.5) (0 = no holdback after a promotion)");
  }
  if (!(policy.sampleRatioConcentration > 0)) problems.push("sampleRatioConcentration must be > 0");
  if (!(policy.promotion.mixtureStandardDeviation > 0))
    problems.push("promotion.mixtureStandardDeviation must be > 0");
  if (!(policy.promotion.nonInferiorityMargin >= 0 && policy.promotion.nonInferiorityMargin < 1)) {
    problems.push("promotion.nonInferiorityMargin must be in [0, 1)");
  }
  if (!(policy.promotion.futilityEffect >= 0 && policy.promotion.futilityEffect < 1)) {
    problems.push("promotion.futilityEffect must be in [0, 1) (0 = no futility stop)");
  }
  for (const [name, guardrail] of Object.entries(policy.guardrails)) {
    if (!(guardrail.mixtureStandardDeviation > 0))
      problems.push(`guardrails.${name}.mixtureStandardDeviation must be > 0`);
    if (!(guardrail.tolerance >= 0 && guardrail.tolerance < 1))
      problems.push(`guardrails.${name}.tolerance must be in [0, 1)`);
    if (!(Number.isInteger(guardrail.minimumTrialsPerArm) && guardrail.minimumTrialsPerArm >= 1)) {
      problems.push(`guardrails.${name}.minimumTrialsPerArm must be an integer >= 1`);
    }
  }
  checkTrafficAdaptation(problems, policy);
  if (!(policy.retirementGracePeriodHours >= 0)) problems.push("retirementGracePeriodHours must be >= 0");
  if (!(hashVersions as readonly number[]).includes(policy.hashVersion)) problems.push("unknown hashVersion");
  if (problems.length > 0) {
    throw new AppError("CONFIG_INVALID", `Invalid rollout policy: ${problems.join("; ")}`, {
      details: { problems },
    });
  }
}

function checkSteps(problems: string[], policy: RolloutPolicy): void {
  const steps = policy.rampSteps;
  if (steps.length < 2)
    problems.push("rampSteps needs at least one canary step and the final step of share 1");
  steps.forEach((step, index) => {
    if (!(step.share > 0 && step.share <= 1)) problems.push(`rampSteps[${index}].share must be in (0, 1]`);
    if (index > 0 && !(step.share > steps[index - 1]!.share)) problems.push(`rampSteps shares must increase`);
    if (!(step.minimumDurationHours >= 0))
      problems.push(`rampSteps[${index}].minimumDurationHours must be >= 0`);
    if (step.minimumDurationHours > policy.maximumStageDurationHours) {
      problems.push(`rampSteps[${index}].minimumDurationHours exceeds maximumStageDurationHours`);
    }
    if (!["significance", "guardrails"].includes(step.gate)) {
      problems.push(`rampSteps[${index}].gate must be significance or guardrails`);
    }
    if (!(Number.isInteger(step.minimumCandidateTrials) && step.minimumCandidateTrials >= 0)) {
      problems.push(`rampSteps[${index}].minimumCandidateTrials must be an integer >= 0`);
    }
  });
  if (steps.length > 0 && steps[steps.length - 1]!.share !== 1)
    problems.push("the last ramp step must have share 1");
}

function checkTrafficAdaptation(problems: string[], policy: RolloutPolicy): void {
  const adaptation = policy.trafficAdaptation;
  if (adaptation === undefined) return;
  const name = (field: string) => `trafficAdaptation.${field}`;
  if (typeof adaptation.enabled !== "boolean") problems.push(`${name("enabled")} must be true or false`);
  if (!(adaptation.maximumSafetyShare > 0 && adaptation.maximumSafetyShare < 1))
    problems.push(`${name("maximumSafetyShare")} must be in (0, 1)`);
  if (!(adaptation.minimumSampleHours > 0)) problems.push(`${name("minimumSampleHours")} must be > 0`);
  if (!(adaptation.planningHours > 0)) problems.push(`${name("planningHours")} must be > 0`);
  const floor = adaptation.minimumLabelledPerArmFloor;
  if (!(Number.isInteger(floor) && floor >= 1))
    problems.push(`${name("minimumLabelledPerArmFloor")} must be an integer >= 1`);
  if (!(adaptation.maximumMixtureStandardDeviation > 0))
    problems.push(`${name("maximumMixtureStandardDeviation")} must be > 0`);
}

function checkLevel(problems: string[], name: string, value: number): void {
  if (!(value > 0 && value < 1)) problems.push(`${name} must be in (0, 1)`);
}
