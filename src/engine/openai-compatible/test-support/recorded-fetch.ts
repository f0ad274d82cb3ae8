import type { FetchFunction } from "../remote-backend-options.js";

/** One exchange with a real server, as stored in `__fixtures__`. */
export interface RecordedExchange {
  request: { method: string; path: string; body: unknown };
  response: { status: number; contentType: string; body: string };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

const keyOf = (method: string, path: string, body: unknown) => `${method} ${path} ${canonical(body)}`;

function requestParts(input: string, init: RequestInit) {
  const url = new URL(input);
  const body: unknown = typeof init.body === "string" ? JSON.parse(init.body) : null;
  return { method: init.method ?? "GET", path: url.pathname, body };
}

/** Wraps a fetch so that every exchange (the whole body, streams included) is kept for a fixture file. */
export function recordingFetch(inner: FetchFunction, exchanges: RecordedExchange[]): FetchFunction {
  return async (input, init) => {
    const response = await inner(input, init);
    const body = await response.text();
    exchanges.push({
      request: requestParts(input, init),
      response: {
        status: response.status,
        contentType: response.headers.get("content-type") ?? "",
        body,
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

/** A response body that arrives in pieces, like a real stream. */
function chunkedBody(text: string, pieces: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const size = Math.max(1, Math.ceil(bytes.length / pieces));
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

/**
 * Answers each request with the recorded response to the same method, path and JSON body (key order ignored).
 * Unknown requests fail loudly, so that a test can't pass on a request the real server never answered. Streams
 * are replayed in several chunks.
 */
export function replayFetch(exchanges: readonly RecordedExchange[]): FetchFunction & { calls: string[] } {
  const byKey = new Map<string, RecordedExchange>();
  for (const exchange of exchanges) {
    const { method, path, body } = exchange.request;
    byKey.set(keyOf(method, path, body), exchange);
  }
  const calls: string[] = [];
  const replay = async (input: string, init: RequestInit) => {
    const { method, path, body } = requestParts(input, init);
    calls.push(`${method} ${path}`);
    init.signal?.throwIfAborted();
    const exchange = byKey.get(keyOf(method, path, body));
    if (!exchange) throw new Error(`no recorded exchange for ${keyOf(method, path, body)}`);
    const { status, contentType, body: text } = exchange.response;
    const streamed = contentType.includes("event-stream");
    return new Response(streamed ? chunkedBody(text, 7) : text, {
      status,
      headers: { "content-type": contentType },
    });
  };
  return Object.assign(replay, { calls });
}
