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
  // Not every fetch ties its body to the signal: a read must end when the signal aborts, whatever the body does.
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(abort.signal.reason);
    if (abort.signal.aborted) fail();
    else abort.signal.addEventListener("abort", fail, { once: true });
  });
  aborted.catch(() => {});
  try {
    for (;;) {
      abort.arm(idleMs, () => new EngineTimeoutError(idleMs));
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await Promise.race([reader.read(), aborted]);
        // Time spent by the consumer between chunks is not the server's silence.
        abort.disarm();
      } catch (error) {
        const reason: unknown = abort.signal.reason;
        if (reason instanceof EngineTimeoutError) throw reason;
        if (abort.signal.aborted) return;
        throw error;
      }
      if (chunk.done) break;
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      // Nothing more once the caller has cancelled, even what already arrived in this chunk.
      while (pending.length > 0 && !abort.signal.aborted) yield pending.shift()!.data;
      if (abort.signal.aborted) return;
    }
    parser.feed(decoder.decode());
    parser.reset({ consume: true });
    while (pending.length > 0) yield pending.shift()!.data;
  } finally {
    abort.disarm();
    reader.cancel().catch(() => {});
  }
}
