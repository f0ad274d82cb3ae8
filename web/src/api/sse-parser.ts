/** One dispatched server-sent event. `event` is "message" when the server named none. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Incremental parser for `text/event-stream` bodies (WHATWG HTML §9.2), fed raw bytes as they arrive.
 * EventSource cannot POST, so the chat reads the stream with fetch and parses it here.
 *
 * Chunks may split anywhere: inside an event, inside a line, between a CR and its LF, or inside a
 * multi-byte UTF-8 character; the streaming TextDecoder holds partial characters back until the rest arrives.
 * `id` and `retry` fields are ignored: the client never reconnects (a POST turn cannot be resumed).
 */
export class SseParser {
  private readonly decoder = new TextDecoder("utf-8");
  private pending = "";
  private eventType = "";
  private dataLines: string[] = [];

  /** Feeds the next chunk of the body; returns the events it completed. */
  push(chunk: Uint8Array): SseEvent[] {
    return this.consume(this.decoder.decode(chunk, { stream: true }), false);
  }

  /**
   * Signals the end of the body. Per the spec an event without its terminating blank line is dropped,
   * so this only returns events completed by the final bytes (e.g. a trailing CR).
   */
  end(): SseEvent[] {
    return this.consume(this.decoder.decode(), true);
  }

  private consume(text: string, final: boolean): SseEvent[] {
    // The decoder already drops a leading byte-order mark, as the spec asks.
    const input = this.pending + text;
    const events: SseEvent[] = [];
    let lineStart = 0;
    for (let i = 0; i < input.length; i++) {
      const ch = input[i];
      if (ch !== "\n" && ch !== "\r") continue;
      // A CR at the very end may be the first half of CRLF: wait for the next chunk to decide.
      if (ch === "\r" && i === input.length - 1 && !final) break;
      this.processLine(input.slice(lineStart, i), events);
      if (ch === "\r" && input[i + 1] === "\n") i++;
      lineStart = i + 1;
    }
    this.pending = input.slice(lineStart);
    if (final) {
      // An unterminated last line belongs to an event that never got its blank line: discard it.
      this.pending = "";
      this.eventType = "";
      this.dataLines = [];
    }
    return events;
  }

  private processLine(line: string, events: SseEvent[]): void {
    if (line === "") {
      if (this.dataLines.length > 0) {
        events.push({
          event: this.eventType === "" ? "message" : this.eventType,
          data: this.dataLines.join("\n"),
        });
      }
      this.eventType = "";
      this.dataLines = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.eventType = value;
    else if (field === "data") this.dataLines.push(value);
  }
}
