import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSseDecoder, type SseEvent } from "./sse-decoder.js";

const utf8 = new TextEncoder();

function parseChunks(chunks: Uint8Array[]): SseEvent[] {
  const decoder = createSseDecoder();
  const events = chunks.flatMap((chunk) => decoder.push(chunk));
  return [...events, ...decoder.end()];
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(bytes.slice(start, point));
    start = point;
  }
  chunks.push(bytes.slice(start));
  return chunks;
}

describe("createSseDecoder", () => {
  it.each<[string, string, SseEvent[]]>([
    [
      "a named event",
      'event: token\ndata: {"text":"你好"}\n\n',
      [{ event: "token", data: '{"text":"你好"}' }],
    ],
    ["an unnamed event", "data: x\n\n", [{ event: "message", data: "x" }]],
    ["multi-line data joined by LF", "data: a\ndata: b\n\n", [{ event: "message", data: "a\nb" }]],
    ["CRLF line endings", "event: done\r\ndata: 1\r\n\r\n", [{ event: "done", data: "1" }]],
    ["bare CR line endings", "event: done\rdata: 1\r\r", [{ event: "done", data: "1" }]],
    [
      "comments and id/retry ignored",
      ": ping\nid: 7\nretry: 10\ndata: y\n\n",
      [{ event: "message", data: "y" }],
    ],
    ["no space after the colon", "event:token\ndata:z\n\n", [{ event: "token", data: "z" }]],
    ["only one leading space is stripped", "data:  two\n\n", [{ event: "message", data: " two" }]],
    [
      "an event without data is not dispatched",
      "event: token\n\ndata: q\n\n",
      [{ event: "message", data: "q" }],
    ],
    [
      "an unterminated last event is dropped",
      "data: complete\n\ndata: partial",
      [{ event: "message", data: "complete" }],
    ],
    ["a leading byte-order mark is skipped", "\uFEFFdata: b\n\n", [{ event: "message", data: "b" }]],
  ])("parses %s", (_name, body, expected) => {
    expect(parseChunks([utf8.encode(body)])).toEqual(expected);
  });

  it("completes an event whose blank line arrives in a later chunk", () => {
    const decoder = createSseDecoder();
    expect(decoder.push(utf8.encode('event: sentiment\ndata: {"label":"正'))).toEqual([]);
    expect(decoder.push(utf8.encode('面"}\n'))).toEqual([]);
    expect(decoder.push(utf8.encode("\n"))).toEqual([{ event: "sentiment", data: '{"label":"正面"}' }]);
  });

  it("reassembles a character split across chunks", () => {
    // "面" is E9 9D A2 in UTF-8: feed it one byte at a time.
    const bytes = utf8.encode("data: 面\n\n");
    const chunks = [...bytes].map((b) => Uint8Array.of(b));
    expect(parseChunks(chunks)).toEqual([{ event: "message", data: "面" }]);
  });

  it("treats CR and LF split across chunks as one line break", () => {
    const decoder = createSseDecoder();
    expect(decoder.push(utf8.encode("data: a\r"))).toEqual([]);
    // If the CR had been taken as a line end on its own, this LF would end the event with data "a".
    expect(decoder.push(utf8.encode("\ndata: b\r\n\r\n"))).toEqual([{ event: "message", data: "a\nb" }]);
  });

  const eventArb = fc.record({
    event: fc.constantFrom("token", "sentiment", "done", "error", "message"),
    // Any text without line breaks, including CJK and astral-plane characters (emoji are 4 bytes).
    data: fc.string({ unit: "grapheme", minLength: 0, maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, "")),
  });

  it("yields the same events however the byte stream is cut", () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 6 }),
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.array(fc.nat(), { maxLength: 10 }),
        (events, eol, cuts) => {
          const body = events.map((e) => `event: ${e.event}${eol}data: ${e.data}${eol}${eol}`).join("");
          const bytes = utf8.encode(body);
          expect(parseChunks(splitAt(bytes, cuts))).toEqual(events);
        },
      ),
    );
  });
});
