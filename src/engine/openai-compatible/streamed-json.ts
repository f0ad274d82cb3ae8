import type { z } from "zod";
import { AppError } from "../../errors.js";
import { badResponse } from "./engine-http-error.js";
import { streamErrorSchema } from "./openai-chat-api.js";
import { EngineTimeoutError, type linkedAbort } from "./resilient-http.js";
import { readSseData } from "./sse-data.js";

export interface OpenedStream {
  response: Response;
  abort: ReturnType<typeof linkedAbort>;
}

function parseEvent<T>(data: string, schema: z.ZodType<T>, server: string): T {
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
  const event = schema.safeParse(json);
  if (!event.success)
    throw badResponse(server, `streamed an event in an unexpected shape: ${data.slice(0, 80)}`);
  return event.data;
}

/**
 * The JSON events of a server-sent-event stream, validated by `schema`, up to `data: [DONE]` or the stream's end.
 * Throws ENGINE_FAILED for an error event, ENGINE_BAD_RESPONSE for an unreadable event or a connection dropped
 * mid-stream, ENGINE_TIMEOUT when the stream stalls. Ends quietly when `signal` aborts. Whether the reply was
 * complete is the caller's to judge from the events.
 */
export async function* streamedJsonEvents<T>(
  opened: OpenedStream,
  schema: z.ZodType<T>,
  options: { server: string; idleTimeoutMs: number; signal: AbortSignal | undefined },
): AsyncGenerator<T> {
  const { server } = options;
  try {
    for await (const data of readSseData(opened.response.body!, opened.abort, options.idleTimeoutMs)) {
      if (data.trim() === "[DONE]") return;
      yield parseEvent(data, schema, server);
    }
  } catch (error) {
    if (options.signal?.aborted) return;
    if (error instanceof AppError) throw error;
    if (error instanceof EngineTimeoutError) {
      throw new AppError(
        "ENGINE_TIMEOUT",
        `The model server ${server} stalled mid-reply: no data for ${error.ms} ms`,
        { cause: error },
      );
    }
    throw badResponse(server, `closed the stream mid-reply (${(error as Error).message})`, error);
  } finally {
    opened.abort.dispose();
  }
}

export function closedMidReply(server: string): AppError {
  return badResponse(server, "closed the stream mid-reply");
}
