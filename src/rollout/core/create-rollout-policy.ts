import { AppError } from "../../errors.js";
import type {
  GuardrailName,
  GuardrailPolicy,
  PromotionPolicy,
  RampStep,
  RolloutPolicy,
  RolloutPresetName,
  TrafficAdaptation,
} from "./rollout-policy.js";
import { rolloutPresetNames, rolloutPresets } from "./rollout-presets.js";
import { validateRolloutPolicy } from "./validate-rollout-policy.js";

/**
 * Partial settings for {@link createRolloutPolicy}: a preset to start from, then fields that replace the
 * preset's (nested objects merge field by field; rampSteps replace the whole list).
 */
export type RolloutPolicyOverrides = Partial<
  Omit<RolloutPolicy, "promotion" | "guardrails" | "rampSteps" | "preset" | "trafficAdaptation" | "adaptedTo">
> & {
  /** The preset to start from (default `balanced`). */
  preset?: RolloutPresetName;
  /** Stages; a step without a gate is a `significance` stage. */
  rampSteps?: ReadonlyArray<Pick<RampStep, "share" | "minimumDurationHours"> & Partial<RampStep>>;
  promotion?: Partial<PromotionPolicy>;
  guardrails?: { [Name in GuardrailName]?: Partial<GuardrailPolicy> };
  /** The fit to small sites' traffic, merged field by field (`{"enabled": false}` turns it off). */
  trafficAdaptation?: Partial<TrafficAdaptation>;
  /** Shortcut for the first ramp step's share (the canary share). */
  canaryShare?: number;
};

/** A preset (default `balanced`) with `overrides` merged in, validated. Throws AppError CONFIG_INVALID on a bad value. */
export function createRolloutPolicy(overrides: RolloutPolicyOverrides = {}): RolloutPolicy {
  const {
    preset = "balanced",
    promotion,
    guardrails,
    canaryShare,
    rampSteps,
    trafficAdaptation,
    ...topLevel
  } = overrides;
  if (!Object.hasOwn(rolloutPresets, preset)) {
    const problem = `unknown preset "${String(preset)}": use one of ${rolloutPresetNames.join(", ")}`;
    throw new AppError("CONFIG_INVALID", `Invalid rollout policy: ${problem}`, {
      details: { problems: [problem] },
    });
  }
  const base = rolloutPresets[preset];
  const steps: RampStep[] = (rampSteps ?? base.rampSteps).map((step) => ({
    gate: "significance",
    minimumCandidateTrials: 0,
    ...step,
  }));
  if (canaryShare !== undefined && steps[0]) steps[0] = { ...steps[0], share: canaryShare };
  const mergedGuardrails = { ...base.guardrails };
  for (const name of Object.keys(mergedGuardrails) as GuardrailName[]) {
    mergedGuardrails[name] = { ...mergedGuardrails[name], ...guardrails?.[name] };
  }
  const policy: RolloutPolicy = {
    ...base,
    ...topLevel,
    preset,
    rampSteps: steps,
    promotion: { ...base.promotion, ...promotion },
    guardrails: mergedGuardrails,
    ...(base.trafficAdaptation && {
      trafficAdaptation: { ...base.trafficAdaptation, ...trafficAdaptation },
    }),
  };
  validateRolloutPolicy(policy);
  return policy;
}
