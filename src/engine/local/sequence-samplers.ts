import type { LlamaModel, Token } from "node-llama-cpp";
import { createNativeSampler, type NativeSampler, type NativeSamplerConfig } from "./llama-internals.js";

/**
 * Added to the logits of the tokens being compared so that top-k keeps exactly them. Equal shifts cancel in the
 * softmax; 256 keeps float32 rounding of (logit + bias) near 3e-5, and only a token more than 256 nats below the
 * best one (probability < e^-256 relative) could fall out, which the scorer detects.
 */
const comparisonBias = 256;

/** Pure: a sampler chain that keeps exactly `tokens` and reports their renormalised probabilities. */
export function comparisonConfig(tokens: readonly Token[]): NativeSamplerConfig {
  return {
    // Temperature 1 keeps top-k in the native chain (greedy replaces it) and leaves the logits unscaled.
    temperature: 1,
    topK: tokens.length,
    topP: 1,
    minP: 0,
    seed: 0,
    tokenBiasKeys: Uint32Array.from(tokens),
    tokenBiasValues: new Float32Array(tokens.length).fill(comparisonBias),
  };
}

/**
 * The native samplers one sequence's requests use. Creating a native sampler costs about 7 ms (measured: it
 * allocates a candidate array over the whole vocabulary), reconfiguring one about 0.05 ms, so each sequence keeps
 * its own and reconfigures them per request. A sequence serves one request at a time, so they are never shared.
 */
export class SequenceSamplers {
  readonly #model: LlamaModel;
  #comparison: NativeSampler | undefined;
  #greedy: NativeSampler | undefined;
  #reply: NativeSampler | undefined;
  #replySeed: number | undefined;

  constructor(model: LlamaModel) {
    this.#model = model;
  }

  /** Creates every sampler now (warm-up), so that no request pays the creation cost. */
  createAll(): void {
    this.comparing([]);
    this.greedy();
    this.reply({ temperature: 0 });
  }

  /** Keeps only `tokens`; see {@link comparisonConfig}. */
  comparing(tokens: readonly Token[]): NativeSampler {
    const config = comparisonConfig(tokens);
    if (this.#comparison) this.#comparison.applyConfig(config);
    else this.#comparison = createNativeSampler(this.#model, config);
    return this.#comparison;
  }

  /** Picks the most likely token; its confidence is that token's probability over the whole vocabulary. */
  greedy(): NativeSampler {
    this.#greedy ??= createNativeSampler(this.#model, { temperature: 0 });
    return this.#greedy;
  }

  /**
   * The reply sampler, reconfigured as if new: the native sampler keeps its random state while the seed is
   * unchanged, so a repeated seed is first replaced, which restarts the generator and makes seeded replies
   * reproducible. The repeat-penalty history is replaced by the config's whenever it differs.
   */
  reply(config: NativeSamplerConfig): NativeSampler {
    if (!this.#reply) {
      this.#reply = createNativeSampler(this.#model, config);
    } else {
      if (config.seed !== undefined && config.seed === this.#replySeed) {
        this.#reply.applyConfig({ ...config, seed: (config.seed + 1) >>> 0 });
      }
      this.#reply.applyConfig(config);
    }
    this.#replySeed = config.seed;
    return this.#reply;
  }

  dispose(): void {
    this.#comparison?.dispose();
    this.#greedy?.dispose();
    this.#reply?.dispose();
  }
}
