import { createParser } from "eventsource-parser";

/** One dispatched server-sent event. `event` is "message" when the server named none. */
export interface SseEvent {
  event: string;
  data: string;
}

/** Turns the raw bytes of a `text/event-stream` body into events, chunk by chunk. */
export interface SseDecoder {
  /** Feeds the next chunk of the body; returns the events it completed. */
  push(chunk: Uint8Array): SseEvent[];
  /**
   * Signals the end of the body. Per the spec an event without its terminating blank line is dropped,
   * so this only returns events completed by the final bytes (e.g. a trailing CR).
   */
  end(): SseEvent[];
}

/**
 * A streaming `TextDecoder` in front of eventsource-parser. EventSource cannot POST, so the chat reads the
 * stream with fetch and decodes it here. Chunks may split anywhere, also inside a multi-byte UTF-8 character:
 * the decoder holds partial characters back until the rest arrives (and drops a leading byte-order mark).
 * `id`, `retry` and comments are ignored: the client never reconnects (a POST turn cannot be resumed).
 */
export function createSseDecoder(): SseDecoder {
  const decoder = new TextDecoder("utf-8");
  let completed: SseEvent[] = [];
  const parser = createParser({
    onEvent: (message) => completed.push({ event: message.event ?? "message", data: message.data }),
  });
  let endsWithCr = false;
  const feed = (text: string): SseEvent[] => {
    if (text !== "") {
      parser.feed(text);
      endsWithCr = text.endsWith("\r");
    }
    const events = completed;
    completed = [];
    return events;
  };
  return {
    push: (chunk) => feed(decoder.decode(chunk, { stream: true })),
    end() {
      const events = feed(decoder.decode());
      // The parser holds a final CR back in case an LF follows in the next chunk; at the end of the body it
      // was a line end, and CR LF is one line end too.
      if (endsWithCr) events.push(...feed("\n"));
      // Whatever is still buffered belongs to an event that never got its blank line: discard it.
      parser.reset();
      return events;
    },
  };
}
