import { describe, expect, it } from "vitest";
import type { GenerateStreamPart } from "../llm-backend.js";
import type { FetchFunction } from "./remote-backend-options.js";
import { replayFetch } from "./test-support/recorded-fetch.js";
import {
  backendOn,
  chat,
  drain,
  errorOf,
  eventStream,
  exchangesOf,
  firstReplyEvent,
  fixtures,
  jsonResponse,
  sentiment,
  withFault,
} from "./test-support/recorded-server.js";

// Faults injected around the recorded server through `fetch`: both dialects where the path differs.
const dialects = [
  { scenario: "llama-server", model: "tiny" },
  { scenario: "openai", model: undefined },
] as const;

describe("garbage, timeouts and dead servers", () => {
  it("answers garbage with ENGINE_BAD_RESPONSE, and the next request works", async () => {
    let garbage = true;
    const fetch = withFault(exchangesOf("llama-server"), (purpose) =>
      purpose === "score" && garbage
        ? Promise.resolve(new Response("<html>502 Bad Gateway</html>"))
        : undefined,
    );
    const backend = await backendOn(fetch, { retries: 0 });
    expect(await errorOf(backend.classify(sentiment))).toMatchObject({
      code: "ENGINE_BAD_RESPONSE",
      status: 502,
    });
    garbage = false;
    const expected = fixtures.scenarios["llama-server"]!.outcome.classifications[0]!;
    expect((await backend.classify(sentiment)).label).toBe(expected.label);
  });

  it("answers a JSON body of the wrong shape with ENGINE_BAD_RESPONSE", async () => {
    const fetch = withFault(exchangesOf("llama-server"), (purpose) =>
      purpose === "score" ? jsonResponse({ content: 42 }) : undefined,
    );
    const error = await errorOf((await backendOn(fetch)).classify(sentiment));
    expect(error.code).toBe("ENGINE_BAD_RESPONSE");
    expect(error.message).toMatch(/unexpected shape/);
  });

  it("times out a server that doesn't answer with ENGINE_TIMEOUT, without waiting for it", async () => {
    const fetch = withFault(exchangesOf("llama-server"), (purpose, init) =>
      purpose === "score"
        ? new Promise((_, reject) =>
            init.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
          )
        : undefined,
    );
    const backend = await backendOn(fetch, { timeoutMs: 100 });
    const started = performance.now();
    expect((await errorOf(backend.classify(sentiment))).code).toBe("ENGINE_TIMEOUT");
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("gives a dead server ENGINE_UNAVAILABLE, opens the circuit, fails at once, and recovers", async () => {
    let dead = true;
    const fetch = withFault(exchangesOf("llama-server"), () =>
      dead ? Promise.reject(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } })) : undefined,
    );
    const backend = await backendOn(fetch, { retries: 2, circuitFailures: 3, circuitHalfOpenAfterMs: 100 });
    expect(backend.status().dialect).toBe("unknown");
    // The probe at creation tried three times (two retries with backoff), which opened the circuit.
    expect(fetch.calls).toEqual(["/props", "/props", "/props"]);
    expect(backend.status().circuit).toBe("open");
    const started = performance.now();
    const error = await errorOf(backend.classify(sentiment));
    expect(performance.now() - started).toBeLessThan(50);
    expect(error).toMatchObject({ code: "ENGINE_UNAVAILABLE", status: 503 });
    expect(error.message).toMatch(/unreachable \(ECONNREFUSED\).*circuit open/);
    expect(fetch.calls).toHaveLength(3);
    dead = false;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await backend.classify(sentiment)).label).toBeDefined();
    expect(backend.status()).toMatchObject({ circuit: "closed", dialect: "llama-server" });
  });

  it("retries a classification after a 503 but never a reply", async () => {
    const fetch = withFault(exchangesOf("llama-server"), (purpose, _init, call) =>
      (purpose === "score" || purpose === "reply") && call === 1
        ? jsonResponse({ error: { code: 503, message: "Loading model" } }, 503)
        : undefined,
    );
    const backend = await backendOn(fetch);
    await backend.classify(sentiment);
    expect(fetch.calls.filter((purpose) => purpose === "score")).toHaveLength(2);
    expect((await errorOf(drain(backend.generate(chat)))).code).toBe("ENGINE_UNAVAILABLE");
    expect(fetch.calls.filter((purpose) => purpose === "reply")).toHaveLength(1);
  });

  it("maps a prompt longer than the server's context to INPUT_TOO_LONG", async () => {
    const message = "the request exceeds the available context size, try increasing it";
    const fetch = withFault(exchangesOf("llama-server"), (purpose) =>
      purpose === "score"
        ? jsonResponse({ error: { code: 400, message, type: "exceed_context_size_error" } }, 400)
        : undefined,
    );
    expect((await errorOf((await backendOn(fetch)).classify(sentiment))).code).toBe("INPUT_TOO_LONG");
  });

  it("sends the API key on every request and never puts it in an error", async () => {
    const seen: (string | null)[] = [];
    const replay = replayFetch(exchangesOf("llama-server"));
    const fetch: FetchFunction = (input, init) => {
      seen.push(new Headers(init.headers).get("authorization"));
      return new URL(input).pathname === "/completion"
        ? jsonResponse({ error: "Invalid API Key" }, 401)
        : replay(input, init);
    };
    const error = await errorOf((await backendOn(fetch, { apiKey: "sk-secret-123" })).classify(sentiment));
    expect(error.code).toBe("ENGINE_UNAVAILABLE");
    expect(error.message).toMatch(/refused the API key/);
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain("sk-secret-123");
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((header) => header === "Bearer sk-secret-123")).toBe(true);
  });

  it("reports a cancelled classification as CLIENT_CLOSED without counting it against the server", async () => {
    const backend = await backendOn(replayFetch(exchangesOf("llama-server")), { circuitFailures: 1 });
    const error = await errorOf(backend.classify({ ...sentiment, signal: AbortSignal.abort() }));
    expect(error.code).toBe("CLIENT_CLOSED");
    expect(backend.status().circuit).toBe("closed");
  });
});

describe.each(dialects)("reply streams ($scenario)", ({ scenario, model }) => {
  const replyWith = (response: () => Promise<Response>) =>
    withFault(exchangesOf(scenario), (purpose) => (purpose === "reply" ? response() : undefined));

  it.each(["close", "reset"] as const)(
    "reports a stream that ends mid-reply (%s) as ENGINE_BAD_RESPONSE after the text that came",
    async (ending) => {
      const fetch = replyWith(() => eventStream([firstReplyEvent(scenario)], ending));
      const parts: GenerateStreamPart[] = [];
      const error = await errorOf(drain((await backendOn(fetch, { model })).generate(chat), parts));
      expect(error).toMatchObject({ code: "ENGINE_BAD_RESPONSE", status: 502 });
      expect(error.message).toMatch(/closed the stream mid-reply/);
      expect(parts.every((part) => part.type === "text")).toBe(true);
    },
  );

  it("times out a stream that stalls mid-reply with ENGINE_TIMEOUT", async () => {
    const fetch = replyWith(() => eventStream([firstReplyEvent(scenario)], "stall"));
    const backend = await backendOn(fetch, { model, streamIdleTimeoutMs: 100 });
    const error = await errorOf(drain(backend.generate(chat)));
    expect(error.code).toBe("ENGINE_TIMEOUT");
    expect(error.message).toMatch(/stalled mid-reply/);
  });

  it("turns an error event inside the stream into ENGINE_FAILED with the server's message", async () => {
    const message = "The model produced output that does not match the expected Content-only format";
    const event = `data: ${JSON.stringify({ error: { code: 500, message, type: "server_error" } })}`;
    const fetch = replyWith(() => eventStream([firstReplyEvent(scenario), event], "close"));
    const error = await errorOf(drain((await backendOn(fetch, { model })).generate(chat)));
    expect(error.code).toBe("ENGINE_FAILED");
    expect(error.message).toContain(message);
  });

  it("answers a stream of garbage with ENGINE_BAD_RESPONSE", async () => {
    const fetch = replyWith(() => eventStream(["data: <html>", 'data: {"nothing": true}'], "close"));
    expect((await errorOf(drain((await backendOn(fetch, { model })).generate(chat)))).code).toBe(
      "ENGINE_BAD_RESPONSE",
    );
  });
});
