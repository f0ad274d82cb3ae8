import { createParser, type EventSourceMessage } from "eventsource-parser";
import { EngineTimeoutError, type linkedAbort } from "./resilient-http.js";

/** Why a stream of server-sent events stopped before its end. */
export type SseInterruption = { kind: "timeout"; ms: number } | { kind: "cancelled" };

/**
 * The `data` of each server-sent event in a response body, parsed by eventsource-parser. Any bytes (a ping
 * comment included) restart the idle timer; silence longer than `idleMs` aborts the response and throws
 * `EngineTimeoutError`. The caller's cancellation ends the iteration quietly.
 */
export async function* readSseData(
  body: ReadableStream<Uint8Array>,
  abort: ReturnType<typeof linkedAbort>,
  idleMs: number,
): AsyncGenerator<string> {
  const pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event) });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      abort.arm(idleMs, () => new EngineTimeoutError(idleMs));
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        const reason: unknown = abort.signal.reason;
        if (reason instanceof EngineTimeoutError) throw reason;
        if (abort.signal.aborted) return;
        throw error;
      }
      if (chunk.done) break;
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      while (pending.length > 0) yield pending.shift()!.data;
    }
    parser.feed(decoder.decode());
    parser.reset({ consume: true });
    while (pending.length > 0) yield pending.shift()!.data;
  } finally {
    abort.disarm();
    reader.cancel().catch(() => {});
  }
}
