import { AppError } from "../../errors.js";
import type { GenerateRequest, GenerateStreamPart } from "../llm-backend.js";
import { badResponse } from "./engine-http-error.js";
import { chatChunkSchema, streamErrorSchema, type ChatChunk, type OpenAiChatApi } from "./openai-chat-api.js";
import { EngineTimeoutError } from "./resilient-http.js";
import { readSseData } from "./sse-data.js";

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

function parseChunk(data: string, server: string): ChatChunk {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (error) {
    throw badResponse(server, `streamed something that is not JSON: ${data.slice(0, 80)}`, error);
  }
  const failure = streamErrorSchema.safeParse(json);
  if (failure.success) {
    const { error } = failure.data;
    const message = typeof error === "string" ? error : error.message;
    throw new AppError("ENGINE_FAILED", `The model server ${server} failed mid-reply: ${message}`);
  }
  const chunk = chatChunkSchema.safeParse(json);
  if (!chunk.success)
    throw badResponse(server, `streamed a chunk in an unexpected shape: ${data.slice(0, 80)}`);
  return chunk.data;
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
  const { response, abort } = await settings.api.openStream(
    chatBody(settings.model, request),
    request.signal,
  );
  let finishReason: string | undefined;
  let usage: ChatChunk["usage"];
  let evaluatedByServer: number | undefined;
  let textParts = 0;
  try {
    for await (const data of readSseData(response.body!, abort, settings.idleTimeoutMs)) {
      if (data.trim() === "[DONE]") break;
      const chunk = parseChunk(data, server);
      for (const choice of chunk.choices) {
        const text = choice.delta?.content;
        if (text) {
          textParts++;
          yield { type: "text", text };
        }
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
      if (chunk.usage) usage = chunk.usage;
      if (chunk.timings) evaluatedByServer = chunk.timings.prompt_n;
    }
  } catch (error) {
    if (!request.signal?.aborted) {
      if (error instanceof AppError) throw error;
      if (error instanceof EngineTimeoutError) {
        throw new AppError(
          "ENGINE_TIMEOUT",
          `The model server ${server} stalled mid-reply: no data for ${error.ms} ms`,
          {
            cause: error,
          },
        );
      }
      throw badResponse(server, `closed the stream mid-reply (${(error as Error).message})`, error);
    }
  } finally {
    abort.dispose();
  }
  const cancelled = request.signal?.aborted === true;
  if (!cancelled && finishReason === undefined) throw badResponse(server, "closed the stream mid-reply");
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
