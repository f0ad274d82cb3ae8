import { AppError } from "../../errors.js";
import { createRolloutPolicy, type RolloutPolicyOverrides } from "./create-rollout-policy.js";
import type { RolloutPolicy, RolloutPresetName } from "./rollout-policy.js";
import { defaultRolloutPolicy } from "./rollout-presets.js";

/**
 * The rollout policy from its settings: ROLLOUT_PRESET (the starting point: balanced, strict or writeup),
 * ROLLOUT_POLICY (JSON overrides of the preset, nested objects merged field by field) and ROLLOUT_CANARY_SHARE
 * (the first stage's share, which wins over the JSON). Unknown keys are refused rather than ignored: a misspelt
 * `minimumLabelledPerArm` must not silently keep the default. Throws AppError CONFIG_INVALID naming the setting.
 */
export function rolloutPolicyFromSettings(
  json: string,
  canaryShare: number | undefined,
  preset: RolloutPresetName = "balanced",
): RolloutPolicy {
  let overrides: unknown;
  try {
    overrides = JSON.parse(json);
  } catch (error) {
    throw invalid(`not valid JSON: ${(error as Error).message}`);
  }
  if (overrides === null || typeof overrides !== "object" || Array.isArray(overrides)) {
    throw invalid("must be a JSON object");
  }
  const unknown = unknownKeys(overrides as Record<string, unknown>);
  if (unknown.length > 0) throw invalid(`unknown keys ${unknown.join(", ")}`);
  try {
    return createRolloutPolicy({
      ...(overrides as RolloutPolicyOverrides),
      preset,
      ...(canaryShare !== undefined && { canaryShare }),
    });
  } catch (error) {
    throw invalid((error as Error).message);
  }
}

function unknownKeys(overrides: Record<string, unknown>): string[] {
  const unknown: string[] = [];
  // The preset is chosen with ROLLOUT_PRESET only: one place to look.
  const allowed = new Set(
    [...Object.keys(defaultRolloutPolicy), "canaryShare"].filter((key) => key !== "preset"),
  );
  for (const [key, value] of Object.entries(overrides)) {
    if (!allowed.has(key)) unknown.push(key);
    else if (key === "promotion")
      unknown.push(...extraKeys(value, defaultRolloutPolicy.promotion, "promotion"));
    else if (key === "trafficAdaptation")
      unknown.push(...extraKeys(value, defaultRolloutPolicy.trafficAdaptation!, "trafficAdaptation"));
    else if (key === "guardrails" && value !== null && typeof value === "object") {
      const guardrails = new Map<string, object>(Object.entries(defaultRolloutPolicy.guardrails));
      for (const [name, guardrail] of Object.entries(value)) {
        const reference = guardrails.get(name);
        if (reference === undefined) unknown.push(`guardrails.${name}`);
        else unknown.push(...extraKeys(guardrail, reference, `guardrails.${name}`));
      }
    }
  }
  return unknown;
}

function extraKeys(value: unknown, reference: object, prefix: string): string[] {
  if (value === null || typeof value !== "object") return [];
  return Object.keys(value)
    .filter((key) => !(key in reference))
    .map((key) => `${prefix}.${key}`);
}

function invalid(message: string): AppError {
  return new AppError("CONFIG_INVALID", `ROLLOUT_POLICY: ${message}`);
}
