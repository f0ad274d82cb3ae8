import type { Token } from "node-llama-cpp";
import type { GenerateRequest } from "../llm-backend.js";
import type { NativeSamplerConfig } from "./llama-internals.js";

/** node-llama-cpp's own defaults, so replies sample the same way they did through its generation loop. */
export const replySamplingDefaults = {
  temperature: 0.7,
  topK: 40,
  topP: 0.95,
  repeatPenaltyWindow: 64,
} as const;

/**
 * Pure: the native sampler settings for one reply. The repeat penalty starts from the prompt's last tokens and the
 * native sampler appends each token it samples, which is what node-llama-cpp's loop recomputed on every step.
 */
export function replySamplerConfig(
  request: Pick<GenerateRequest, "temperature" | "topK" | "topP" | "repeatPenalty" | "seed">,
  promptTokens: readonly Token[],
  randomSeed: () => number,
): NativeSamplerConfig {
  const temperature = request.temperature ?? replySamplingDefaults.temperature;
  const penalty =
    request.repeatPenalty !== undefined && request.repeatPenalty !== 1
      ? {
          repeatPenalty: request.repeatPenalty,
          repeatPenaltyMaxTokens: replySamplingDefaults.repeatPenaltyWindow,
          repeatPenaltyTokens: Uint32Array.from(
            promptTokens.slice(-replySamplingDefaults.repeatPenaltyWindow),
          ),
        }
      : {};
  if (temperature <= 0) return { temperature: 0, ...penalty };
  return {
    temperature,
    topK: request.topK ?? replySamplingDefaults.topK,
    topP: request.topP ?? replySamplingDefaults.topP,
    minP: 0,
    seed: request.seed ?? randomSeed(),
    ...penalty,
  };
}
