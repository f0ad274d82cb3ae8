import { z } from "zod";
import type { ChatTurn } from "../llm-backend.js";
import type { ResilientHttp } from "./resilient-http.js";

/** llama-server's `GET /props`; its presence is how a llama-server is recognised. */
const propsSchema = z.object({
  default_generation_settings: z.object({ n_ctx: z.number().int().positive() }),
  total_slots: z.number().int().positive(),
  model_path: z.string().optional(),
  model_alias: z.string().optional(),
  build_info: z.string().optional(),
  /** The model's end-of-turn text (`<|im_end|>` for Qwen). */
  eos_token: z.string().optional(),
});
export type LlamaServerProps = z.infer<typeof propsSchema>;

const candidateSchema = z.object({
  id: z.number().int(),
  // -inf serialises as null in llama-server's JSON.
  logprob: z.number().nullable().optional(),
  prob: z.number().optional(),
});

/**
 * One produced token: its log-probability over the whole vocabulary (`logprob`, `top_logprobs`), or with
 * `post_sampling_probs` its probability after the sampler chain and the grammar (`prob`, `top_probs`).
 */
const tokenProbabilitySchema = candidateSchema.extend({
  top_logprobs: z.array(candidateSchema).optional(),
  top_probs: z.array(candidateSchema).optional(),
});
export type TokenProbability = z.infer<typeof tokenProbabilitySchema>;

const completionSchema = z.object({
  content: z.string(),
  tokens_evaluated: z.number().int().nonnegative(),
  completion_probabilities: z.array(tokenProbabilitySchema).default([]),
  timings: z.object({ prompt_n: z.number().int().nonnegative() }).optional(),
});
export type LlamaServerCompletion = z.infer<typeof completionSchema>;

/** One event of a streamed `/completion`; the last has `stop: true` and the counts. */
export const completionChunkSchema = z.object({
  content: z.string().default(""),
  stop: z.boolean(),
  stop_type: z.string().optional(),
  tokens_evaluated: z.number().int().nonnegative().optional(),
  tokens_predicted: z.number().int().nonnegative().optional(),
  timings: z.object({ prompt_n: z.number().int().nonnegative() }).optional(),
});
export type CompletionChunk = z.infer<typeof completionChunkSchema>;

/** The sampling and constraint fields of `POST /completion` this backend uses. */
export interface CompletionRequest {
  prompt: string;
  n_predict: number;
  grammar: string;
  n_probs: number;
  /**
   * Report probabilities after sampling (temperature 1, nothing else in the chain) instead of greedy decoding's
   * pre-sampling log-probabilities: when the grammar had to filter, the listed tokens are exactly the allowed ones,
   * renormalised over them.
   */
  postSampling?: boolean;
  /**
   * Added to these tokens' logits before sampling; the reported probabilities are the model's own. Forces an
   * end-of-turn token where a grammar can't: llama.cpp aborts when a grammar names one explicitly.
   */
  logitBias?: [number, number][];
  signal?: AbortSignal | undefined;
}

/** llama-server's own endpoints (not the OpenAI layer): template, tokenizer and completions with log-probabilities. */
export class LlamaServerApi {
  readonly #http: ResilientHttp;
  readonly #root: string;

  constructor(http: ResilientHttp, root: string) {
    this.#http = http;
    this.#root = root;
  }

  props(signal?: AbortSignal, timeoutMs?: number): Promise<LlamaServerProps> {
    return this.#http.json({
      url: `${this.#root}/props`,
      idempotent: true,
      parse: (json) => propsSchema.parse(json),
      signal,
      timeoutMs,
    });
  }

  /** The prompt the model's own chat template makes of the turns, ending where the assistant's reply starts. */
  async applyTemplate(messages: ChatTurn[], signal?: AbortSignal): Promise<string> {
    const { prompt } = await this.#http.json({
      url: `${this.#root}/apply-template`,
      body: { messages },
      idempotent: true,
      parse: (json) => z.object({ prompt: z.string() }).parse(json),
      signal,
    });
    return prompt;
  }

  /** Token ids of plain text (special-token names are not parsed unless `special`). */
  async tokenize(content: string, special = false, signal?: AbortSignal): Promise<number[]> {
    const { tokens } = await this.#http.json({
      url: `${this.#root}/tokenize`,
      body: { content, add_special: false, parse_special: special },
      idempotent: true,
      parse: (json) => z.object({ tokens: z.array(z.number().int()) }).parse(json),
      signal,
    });
    return tokens;
  }

  /**
   * A completion that only reads the model's distribution: greedy, constrained by `grammar`, with the
   * pre-sampling log-probability of each produced token over the whole vocabulary (`n_probs`). The prompt's
   * evaluated state stays in the slot (`cache_prompt`), so the next request with the same prefix skips it.
   */
  completion(request: CompletionRequest): Promise<LlamaServerCompletion> {
    return this.#http.json({
      url: `${this.#root}/completion`,
      body: {
        prompt: request.prompt,
        n_predict: request.n_predict,
        grammar: request.grammar,
        n_probs: request.n_probs,
        temperature: request.postSampling ? 1 : 0,
        post_sampling_probs: request.postSampling === true,
        ...(request.logitBias && { logit_bias: request.logitBias }),
        cache_prompt: true,
        samplers: ["temperature"],
      },
      // Reading probabilities changes nothing on the server, so a failed attempt may be repeated.
      idempotent: true,
      parse: (json) => completionSchema.parse(json),
      signal: request.signal,
    });
  }

  /** A streamed completion (a chat reply on the prompt the template made); not retried. */
  openStream(body: Record<string, unknown>, signal: AbortSignal | undefined) {
    return this.#http.openStream(
      `${this.#root}/completion`,
      { ...body, stream: true, cache_prompt: true },
      signal,
    );
  }
}
