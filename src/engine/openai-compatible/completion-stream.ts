import type { GenerateRequest, GenerateStreamPart } from "../llm-backend.js";
import { completionChunkSchema, type LlamaServerApi } from "./llama-server-api.js";
import { closedMidReply, streamedJsonEvents } from "./streamed-json.js";

export interface CompletionStreamSettings {
  api: LlamaServerApi;
  server: string;
  idleTimeoutMs: number;
}

/** llama-server's sampling fields for a reply (the same knobs the embedded engine takes). */
function completionBody(prompt: string, request: GenerateRequest): Record<string, unknown> {
  return {
    prompt,
    n_predict: request.maxTokens,
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.topP === undefined ? {} : { top_p: request.topP }),
    ...(request.topK === undefined ? {} : { top_k: request.topK }),
    ...(request.repeatPenalty === undefined ? {} : { repeat_penalty: request.repeatPenalty }),
    ...(request.seed === undefined ? {} : { seed: request.seed }),
  };
}

/**
 * Streams a reply from llama-server's own `/completion` on the prompt its chat template made. Unlike its
 * `/v1/chat/completions`, this returns the model's text as it is, without parsing it for tool calls or reasoning
 * (which fails on text it doesn't expect), and it reports how much of the prompt came from the slot's cache.
 * Ends with exactly one finish part, or throws as `streamedJsonEvents` does.
 */
export async function* streamCompletionReply(
  settings: CompletionStreamSettings,
  prompt: string,
  request: GenerateRequest,
): AsyncGenerator<GenerateStreamPart> {
  const { server } = settings;
  const opened = await settings.api.openStream(completionBody(prompt, request), request.signal);
  let last: { stopType: string; prompt: number; evaluated: number; predicted: number } | undefined;
  let textParts = 0;
  const events = streamedJsonEvents(opened, completionChunkSchema, {
    server,
    idleTimeoutMs: settings.idleTimeoutMs,
    signal: request.signal,
  });
  for await (const chunk of events) {
    if (chunk.content && !request.signal?.aborted) {
      textParts++;
      yield { type: "text", text: chunk.content };
    }
    if (chunk.stop) {
      const promptTokens = chunk.tokens_evaluated ?? 0;
      last = {
        stopType: chunk.stop_type ?? "eos",
        prompt: promptTokens,
        evaluated: chunk.timings?.prompt_n ?? promptTokens,
        predicted: chunk.tokens_predicted ?? textParts,
      };
    }
  }
  const cancelled = request.signal?.aborted === true;
  if (!cancelled && !last) throw closedMidReply(server);
  yield {
    type: "finish",
    finishReason: cancelled ? "cancelled" : last?.stopType === "limit" ? "length" : "stop",
    promptTokens: last?.prompt ?? 0,
    evaluatedPromptTokens: last?.evaluated ?? 0,
    completionTokens: last?.predicted ?? textParts,
  };
}
