import { z } from "zod";
import type { ChatTurn } from "../llm-backend.js";
import type { ResilientHttp } from "./resilient-http.js";

/** `max_model_len` is vLLM's: the context the model is served with. */
const modelsSchema = z.object({
  data: z.array(z.object({ id: z.string(), max_model_len: z.number().int().positive().optional() })),
});
export type ListedModel = z.infer<typeof modelsSchema>["data"][number];

const logprobsSchema = z
  .object({
    content: z.array(z.object({ token: z.string(), logprob: z.number().nullable() })).nullable(),
  })
  .nullable()
  .optional();

const chatCompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable() }),
        logprobs: logprobsSchema,
      }),
    )
    .min(1),
  usage: z
    .object({
      prompt_tokens: z.number().int().nonnegative(),
      prompt_tokens_details: z.object({ cached_tokens: z.number().int() }).nullable().optional(),
    })
    .optional(),
});
export type ChatCompletion = z.infer<typeof chatCompletionSchema>;

/** One streamed chunk; the last ones carry `finish_reason` and (with `include_usage`) `usage`. */
export const chatChunkSchema = z.object({
  choices: z
    .array(
      z.object({
        delta: z.object({ content: z.string().nullable().optional() }).optional(),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .default([]),
  usage: z
    .object({
      prompt_tokens: z.number().int().nonnegative(),
      completion_tokens: z.number().int().nonnegative(),
      prompt_tokens_details: z.object({ cached_tokens: z.number().int() }).nullable().optional(),
    })
    .nullable()
    .optional(),
  /** llama-server's own: how many prompt tokens it evaluated (the rest came from its cache). */
  timings: z.object({ prompt_n: z.number().int().nonnegative() }).optional(),
});
export type ChatChunk = z.infer<typeof chatChunkSchema>;

/** An error event inside a stream (llama-server sends `data: {"error": {...}}`). */
export const streamErrorSchema = z.object({
  error: z.union([z.string(), z.object({ message: z.string() })]),
});

/** The OpenAI-compatible chat API every supported server speaks (`/v1/models`, `/v1/chat/completions`). */
export class OpenAiChatApi {
  readonly #http: ResilientHttp;
  readonly #base: string;

  constructor(http: ResilientHttp, base: string) {
    this.#http = http;
    this.#base = base;
  }

  async listModels(signal?: AbortSignal, timeoutMs?: number): Promise<ListedModel[]> {
    const { data } = await this.#http.json({
      url: `${this.#base}/models`,
      idempotent: true,
      parse: (json) => modelsSchema.parse(json),
      signal,
      timeoutMs,
    });
    return data;
  }

  /** A non-streamed completion; `idempotent` when it only reads the model's distribution (temperature 0). */
  complete(
    body: { model: string; messages: ChatTurn[] } & Record<string, unknown>,
    idempotent: boolean,
    signal?: AbortSignal,
  ): Promise<ChatCompletion> {
    return this.#http.json({
      url: `${this.#base}/chat/completions`,
      body: { ...body, stream: false },
      idempotent,
      parse: (json) => chatCompletionSchema.parse(json),
      signal,
    });
  }

  openStream(body: Record<string, unknown>, signal: AbortSignal | undefined) {
    return this.#http.openStream(`${this.#base}/chat/completions`, { ...body, stream: true }, signal);
  }
}
