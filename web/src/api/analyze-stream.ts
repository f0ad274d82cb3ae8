import { ApiError, errorFromBody, requestOk } from "./api-error.js";
import type {
  ChatMessage,
  ModerationVerdict,
  ReplyResult,
  SentimentResult,
  TurnClassification,
} from "./api-types.js";
import { createSseDecoder, type SseEvent } from "./sse-decoder.js";

/**
 * What the all-in-one turn reports, in order: the sentiment (when configured), every classification of the input
 * with the moderation verdict, then tokens and one done, or a refusal (MODERATION_POLICY=block) that ends the turn.
 */
export type AnalyzeEvent =
  | { type: "sentiment"; sentiment: SentimentResult }
  | { type: "classifications"; classifications: TurnClassification[]; moderation: ModerationVerdict | null }
  | { type: "token"; text: string }
  | { type: "done"; reply: ReplyResult }
  | { type: "refusal"; message: string };

/** Body of POST /api/analyze as the chat sends it (always streamed). */
export interface AnalyzeRequest {
  text: string;
  sessionId: string;
  history: ChatMessage[];
}

/** Options of {@link streamAnalyze}. */
export interface StreamAnalyzeOptions {
  /** Injected so tests can serve a scripted stream. */
  fetch: typeof fetch;
  /** Aborting cancels generation on the server (it stores the reply as cancelled). */
  signal?: AbortSignal;
  endpoint?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function parseJson(event: SseEvent): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(event.data);
    if (isRecord(value)) return value;
  } catch {
    // handled below
  }
  throw new ApiError("BAD_RESPONSE", `Unreadable "${event.event}" event from the server`, 200);
}

function toSentiment(data: Record<string, unknown>): SentimentResult {
  const { interactionId, feedbackToken, label, confidence, promptVersion, latencyMs } = data;
  if (typeof interactionId !== "string" || typeof label !== "string" || typeof confidence !== "number") {
    throw new ApiError("BAD_RESPONSE", "Incomplete sentiment event from the server", 200);
  }
  return {
    interactionId,
    ...(typeof feedbackToken === "string" && { feedbackToken }),
    label,
    confidence,
    promptVersion: typeof promptVersion === "string" ? promptVersion : "",
    latencyMs: typeof latencyMs === "number" ? latencyMs : 0,
  };
}

const moderationActions: readonly string[] = ["reply", "withhold", "refuse"];

function toModeration(value: unknown): ModerationVerdict | null {
  if (!isRecord(value)) return null;
  const { task, policy, interactionId, label, flagged, action, disputeLabel } = value;
  if (
    typeof interactionId !== "string" ||
    typeof action !== "string" ||
    !moderationActions.includes(action)
  ) {
    throw new ApiError("BAD_RESPONSE", "Incomplete moderation verdict from the server", 200);
  }
  return {
    task: typeof task === "string" ? task : "",
    policy: policy === "flag" || policy === "block" ? policy : "off",
    interactionId,
    label: typeof label === "string" ? label : "",
    flagged: flagged === true,
    action: action as ModerationVerdict["action"],
    disputeLabel: typeof disputeLabel === "string" ? disputeLabel : null,
  };
}

function toClassification(value: unknown): TurnClassification {
  const record = isRecord(value) ? value : {};
  const distribution = isRecord(record.distribution) ? record.distribution : {};
  if (typeof record.task !== "string") {
    throw new ApiError("BAD_RESPONSE", "Incomplete classifications event from the server", 200);
  }
  return {
    ...toSentiment(record),
    task: record.task,
    distribution: Object.fromEntries(
      Object.entries(distribution).filter((entry): entry is [string, number] => typeof entry[1] === "number"),
    ),
  };
}

function toClassifications(data: Record<string, unknown>): AnalyzeEvent {
  if (!Array.isArray(data.classifications)) {
    throw new ApiError("BAD_RESPONSE", "Incomplete classifications event from the server", 200);
  }
  return {
    type: "classifications",
    classifications: data.classifications.map(toClassification),
    moderation: toModeration(data.moderation),
  };
}

function toReply(data: Record<string, unknown>): ReplyResult {
  const { interactionId, feedbackToken, reply, promptVersion, latencyMs } = data;
  if (typeof interactionId !== "string" || typeof reply !== "string") {
    throw new ApiError("BAD_RESPONSE", "Incomplete done event from the server", 200);
  }
  return {
    interactionId,
    ...(typeof feedbackToken === "string" && { feedbackToken }),
    reply,
    promptVersion: typeof promptVersion === "string" ? promptVersion : "",
    latencyMs: typeof latencyMs === "number" ? latencyMs : 0,
  };
}

function toAnalyzeEvent(event: SseEvent): AnalyzeEvent | null {
  switch (event.event) {
    case "sentiment":
      return { type: "sentiment", sentiment: toSentiment(parseJson(event)) };
    case "classifications":
      return toClassifications(parseJson(event));
    case "refusal": {
      const { message } = parseJson(event);
      return { type: "refusal", message: typeof message === "string" ? message : "" };
    }
    case "token": {
      const { text } = parseJson(event);
      return { type: "token", text: typeof text === "string" ? text : "" };
    }
    case "done":
      return { type: "done", reply: toReply(parseJson(event)) };
    case "error": {
      const data = parseJson(event);
      throw errorFromBody(data, 200) ?? new ApiError("INTERNAL", "The server reported an error", 200);
    }
    default:
      // Unknown events (e.g. future progress events) are ignored so the server can add them freely.
      return null;
  }
}

/**
 * Runs one all-in-one turn: POST /api/analyze with `stream: true`, yielding its events as they arrive.
 * Throws ApiError for a non-2xx response, an `event: error`, a lost connection, or a stream that ends
 * without `done` or `refusal`; an abort through `signal` surfaces as the fetch's AbortError.
 */
export async function* streamAnalyze(
  request: AnalyzeRequest,
  options: StreamAnalyzeOptions,
): AsyncGenerator<AnalyzeEvent, void, undefined> {
  const init: RequestInit = {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ ...request, stream: true }),
  };
  if (options.signal) init.signal = options.signal;
  const response = await requestOk(options.fetch, options.endpoint ?? "/api/analyze", init);
  if (!response.body) throw new ApiError("BAD_RESPONSE", "The server sent no stream", response.status);

  const reader = response.body.getReader();
  const decoder = createSseDecoder();
  let finished = false;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (options.signal?.aborted) throw error;
        throw new ApiError("STREAM_INTERRUPTED", "The connection was lost during the reply", response.status);
      }
      const events = chunk.done ? decoder.end() : decoder.push(chunk.value);
      for (const raw of events) {
        const event = toAnalyzeEvent(raw);
        if (!event) continue;
        yield event;
        if (event.type === "done" || event.type === "refusal") {
          finished = true;
          return;
        }
      }
      if (chunk.done) break;
    }
  } finally {
    // Stop reading (and let the server cancel) if the consumer quit early or something threw.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  throw new ApiError("STREAM_INTERRUPTED", "The reply ended before it was complete", response.status);
}
