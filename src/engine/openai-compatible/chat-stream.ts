import type { GenerateRequest, GenerateStreamPart } from "../llm-backend.js";
import { chatChunkSchema, type ChatChunk, type OpenAiChatApi } from "./openai-chat-api.js";
import { closedMidReply, streamedJsonEvents } from "./streamed-json.js";

export interface ChatStreamSettings {
  api: OpenAiChatApi;
  model: string;
  server: string;
  idleTimeoutMs: number;
}

/** The request body: OpenAI's fields, plus llama-server's (`top_k`, `repeat_penalty`, `cache_prompt`), which other servers ignore. */
function chatBody(model: string, request: GenerateRequest): Record<string, unknown> {
  return {
    model,
    messages: request.messages,
    max_tokens: request.maxTokens,
    stream_options: { include_usage: true },
    cache_prompt: true,
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.topP === undefined ? {} : { top_p: request.topP }),
    ...(request.topK === undefined ? {} : { top_k: request.topK }),
    ...(request.repeatPenalty === undefined ? {} : { repeat_penalty: request.repeatPenalty }),
    ...(request.seed === undefined ? {} : { seed: request.seed }),
  };
}

/**
 * Streams a reply from `/v1/chat/completions` over server-sent events. Ends with exactly one finish part, or
 * throws: ENGINE_TIMEOUT when the stream stalls, ENGINE_BAD_RESPONSE when it is unreadable or closes before the
 * reply's end, ENGINE_FAILED when the server reports an error mid-reply. A cancelled request finishes quietly with
 * `cancelled`.
 */
export async function* streamChatReply(
  settings: ChatStreamSettings,
  request: GenerateRequest,
): AsyncGenerator<GenerateStreamPart> {
  const { server } = settings;
  const opened = await settings.api.openStream(chatBody(settings.model, request), request.signal);
  let finishReason: string | undefined;
  let usage: ChatChunk["usage"];
  let evaluatedByServer: number | undefined;
  let textParts = 0;
  const events = streamedJsonEvents(opened, chatChunkSchema, {
    server,
    idleTimeoutMs: settings.idleTimeoutMs,
    signal: request.signal,
  });
  for await (const chunk of events) {
    for (const choice of chunk.choices) {
      const text = choice.delta?.content;
      if (text && !request.signal?.aborted) {
        textParts++;
        yield { type: "text", text };
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    if (chunk.usage) usage = chunk.usage;
    if (chunk.timings) evaluatedByServer = chunk.timings.prompt_n;
  }
  const cancelled = request.signal?.aborted === true;
  if (!cancelled && finishReason === undefined) throw closedMidReply(server);
  const promptTokens = usage?.prompt_tokens ?? 0;
  yield {
    type: "finish",
    finishReason: cancelled ? "cancelled" : finishReason === "length" ? "length" : "stop",
    promptTokens,
    evaluatedPromptTokens:
      evaluatedByServer ?? promptTokens - (usage?.prompt_tokens_details?.cached_tokens ?? 0),
    completionTokens: usage?.completion_tokens ?? textParts,
  };
}
