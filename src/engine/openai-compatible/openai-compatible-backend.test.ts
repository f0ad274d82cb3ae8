import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { isAppError } from "../../errors.js";
import type { GenerateStreamPart } from "../llm-backend.js";
import { createOpenAiCompatibleBackend } from "./openai-compatible-backend.js";
import type { FetchFunction, OpenAiCompatibleBackendOptions } from "./remote-backend-options.js";
import { fixtureScenarios, fixtureSystem, type FixtureFile } from "./test-support/fixture-scenarios.js";
import { replayFetch, type RecordedExchange } from "./test-support/recorded-fetch.js";

// Recorded from a real llama-server on the tiny generated model by test/support/llama-server/record-fixtures.ts.
const fixtures = JSON.parse(
  fs.readFileSync(new URL("./__fixtures__/llama-server.json", import.meta.url), "utf8"),
) as FixtureFile;
const baseUrl = "http://llama.test:8080";
const sentiment = { prefix: fixtureSystem, input: "这家酒店很好", labels: ["正面", "负面"] };
const chat = {
  messages: [...fixtureSystem, { role: "user" as const, content: "你好" }],
  maxTokens: 8,
  temperature: 0,
  seed: 3,
};

function exchangesOf(name: string): RecordedExchange[] {
  return fixtures.scenarios[name]!.exchanges;
}

function backendOn(fetch: FetchFunction, options: Partial<OpenAiCompatibleBackendOptions> = {}) {
  return createOpenAiCompatibleBackend({ baseUrl, model: "tiny", fetch, ...options });
}

/** The recorded server, except where `override` answers (or fails) instead. */
function withFault(
  exchanges: RecordedExchange[],
  override: (path: string, init: RequestInit, call: number) => Promise<Response> | undefined,
): FetchFunction & { calls: string[] } {
  const replay = replayFetch(exchanges);
  const counts = new Map<string, number>();
  const faulty = (input: string, init: RequestInit) => {
    const path = new URL(input).pathname;
    const call = (counts.get(path) ?? 0) + 1;
    counts.set(path, call);
    return override(path, init, call) ?? replay(input, init);
  };
  return Object.assign(faulty, { calls: replay.calls });
}

const json = (body: unknown, status = 200) =>
  Promise.resolve(
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } }),
  );

async function errorOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

async function drain(stream: AsyncIterable<GenerateStreamPart>, parts: GenerateStreamPart[] = []) {
  for await (const part of stream) parts.push(part);
  return parts;
}

describe("replaying exchanges recorded from llama-server", () => {
  it.each(fixtureScenarios)("$name: the same results as on the real server", async (scenario) => {
    const recorded = fixtures.scenarios[scenario.name]!;
    const backend = await backendOn(replayFetch(recorded.exchanges), { classifyMode: scenario.classifyMode });
    expect(await scenario.run(backend)).toEqual(recorded.outcome);
    expect(backend.status()).toMatchObject({ dialect: "llama-server", circuit: "closed" });
  });

  it("scores a two-label classification in one request (after the label tokens are known)", async () => {
    const fetch = replayFetch(exchangesOf("llama-server"));
    const backend = await backendOn(fetch);
    await backend.classify(sentiment);
    fetch.calls.length = 0;
    await backend.classify({ ...sentiment, input: "失望" });
    expect(fetch.calls).toEqual(["POST /apply-template", "POST /completion"]);
  });

  it("treats a server without llama-server's /props as OpenAI-style and scores by text log-probabilities", async () => {
    const fetch = withFault(exchangesOf("text-logprobs"), (path) =>
      path === "/props" ? json({ error: { message: "File Not Found" } }, 404) : undefined,
    );
    const backend = await backendOn(fetch);
    const result = await backend.classify(sentiment);
    expect(result).toMatchObject(fixtures.scenarios["text-logprobs"]!.outcome.classifications[0]!);
    expect(backend.status()).toMatchObject({ dialect: "openai", classifyMode: "text-logprobs" });
  });

  it("falls back to constrained generation when the server sends no log-probabilities, and says so", async () => {
    const withoutLogprobs = exchangesOf("text-logprobs").map((exchange) =>
      exchange.request.path === "/v1/chat/completions"
        ? {
            ...exchange,
            response: {
              ...exchange.response,
              body: exchange.response.body.replace(/"logprobs":\{.*?\]\}/, '"logprobs":null'),
            },
          }
        : exchange,
    );
    const fetch = withFault([...withoutLogprobs, ...exchangesOf("generated")], (path) =>
      path === "/props" ? json({}, 404) : undefined,
    );
    const backend = await backendOn(fetch);
    const result = await backend.classify(sentiment);
    expect(result.confidence).toBe(1);
    expect(backend.status().classifyMode).toBe("generated");
  });
});

describe("faults", () => {
  it("answers garbage with ENGINE_BAD_RESPONSE, and the next request works", async () => {
    let garbage = true;
    const fetch = withFault(exchangesOf("llama-server"), (path) =>
      path === "/completion" && garbage
        ? Promise.resolve(new Response("<html>502 Bad Gateway</html>"))
        : undefined,
    );
    const backend = await backendOn(fetch, { retries: 0 });
    expect((await errorOf(backend.classify(sentiment))).code).toBe("ENGINE_BAD_RESPONSE");
    garbage = false;
    expect((await backend.classify(sentiment)).label).toBe(
      fixtures.scenarios["llama-server"]!.outcome.classifications[0]!.label,
    );
  });

  it("answers a well-formed JSON body of the wrong shape with ENGINE_BAD_RESPONSE", async () => {
    const fetch = withFault(exchangesOf("llama-server"), (path) =>
      path === "/completion" ? json({ content: 42 }) : undefined,
    );
    const error = await errorOf((await backendOn(fetch)).classify(sentiment));
    expect(error.code).toBe("ENGINE_BAD_RESPONSE");
    expect(error.message).toMatch(/unexpected shape/);
  });

  it("times out a server that doesn't answer with ENGINE_TIMEOUT, without waiting for it", async () => {
    const fetch = withFault(exchangesOf("llama-server"), (path, init) =>
      path === "/completion"
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

  it("gives a dead server ENGINE_UNAVAILABLE, retries lookups with backoff, then opens the circuit and fails at once", async () => {
    let dead = true;
    const fetch = withFault(exchangesOf("llama-server"), () =>
      dead ? Promise.reject(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } })) : undefined,
    );
    const backend = await backendOn(fetch, { retries: 2, circuitFailures: 3, circuitHalfOpenAfterMs: 100 });
    expect(backend.status().dialect).toBe("unknown");
    const first = await errorOf(backend.classify(sentiment));
    expect(first).toMatchObject({ code: "ENGINE_UNAVAILABLE", status: 503 });
    expect(first.message).toMatch(/unreachable \(ECONNREFUSED\)/);
    expect(backend.status().circuit).toBe("open");
    const callsWhenOpen = fetch.calls.length;
    const started = performance.now();
    expect((await errorOf(backend.classify(sentiment))).code).toBe("ENGINE_UNAVAILABLE");
    expect(performance.now() - started).toBeLessThan(50);
    expect(fetch.calls.length).toBe(callsWhenOpen);
    dead = false;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await backend.classify(sentiment)).label).toBeDefined();
    expect(backend.status().circuit).toBe("closed");
  });

  it("retries a classification after a 503 but never a chat reply", async () => {
    const fetch = withFault(exchangesOf("llama-server"), (path, _init, call) =>
      (path === "/completion" || path === "/v1/chat/completions") && call === 1
        ? json({ error: { code: 503, message: "Loading model" } }, 503)
        : undefined,
    );
    const backend = await backendOn(fetch);
    await backend.classify(sentiment);
    expect(fetch.calls.filter((call) => call === "POST /completion").length).toBe(2);
    const error = await errorOf(drain(backend.generate(chat)));
    expect(error.code).toBe("ENGINE_UNAVAILABLE");
    expect(fetch.calls.filter((call) => call === "POST /v1/chat/completions").length).toBe(1);
  });

  it("reports a stream closed mid-reply as ENGINE_BAD_RESPONSE after the text that came", async () => {
    const recorded = exchangesOf("llama-server").find((e) => e.request.path === "/v1/chat/completions")!;
    const firstEvent = recorded.response.body.split("\n\n")[0]!;
    for (const ending of ["close", "reset"] as const) {
      const fetch = withFault(exchangesOf("llama-server"), (path) =>
        path === "/v1/chat/completions"
          ? Promise.resolve(
              new Response(
                new ReadableStream({
                  start(controller) {
                    controller.enqueue(new TextEncoder().encode(`${firstEvent}\n\n`));
                    if (ending === "close") controller.close();
                    else controller.error(new TypeError("terminated"));
                  },
                }),
                { headers: { "content-type": "text/event-stream" } },
              ),
            )
          : undefined,
      );
      const parts: GenerateStreamPart[] = [];
      const error = await errorOf(drain((await backendOn(fetch)).generate(chat), parts));
      expect(error).toMatchObject({ code: "ENGINE_BAD_RESPONSE", status: 502 });
      expect(error.message).toMatch(/closed the stream mid-reply/);
      expect(parts.every((part) => part.type === "text")).toBe(true);
    }
  });

  it("times out a stream that stalls mid-reply", async () => {
    const recorded = exchangesOf("llama-server").find((e) => e.request.path === "/v1/chat/completions")!;
    const fetch = withFault(exchangesOf("llama-server"), (path) =>
      path === "/v1/chat/completions"
        ? Promise.resolve(
            new Response(
              new ReadableStream({
                start(controller) {
                  controller.enqueue(
                    new TextEncoder().encode(`${recorded.response.body.split("\n\n")[0]!}\n\n`),
                  );
                },
              }),
              { headers: { "content-type": "text/event-stream" } },
            ),
          )
        : undefined,
    );
    const error = await errorOf(drain((await backendOn(fetch, { streamIdleTimeoutMs: 100 })).generate(chat)));
    expect(error.code).toBe("ENGINE_TIMEOUT");
  });

  it("turns an error event inside the stream into ENGINE_FAILED with the server's message", async () => {
    const message = "The model produced output that does not match the expected Content-only format";
    const fetch = withFault(exchangesOf("llama-server"), (path) =>
      path === "/v1/chat/completions"
        ? Promise.resolve(
            new Response(
              `data: ${JSON.stringify({ error: { code: 500, message, type: "server_error" } })}\n\n`,
              {
                headers: { "content-type": "text/event-stream" },
              },
            ),
          )
        : undefined,
    );
    const error = await errorOf(drain((await backendOn(fetch)).generate(chat)));
    expect(error.code).toBe("ENGINE_FAILED");
    expect(error.message).toContain(message);
  });

  it("maps a prompt longer than the server's context to INPUT_TOO_LONG", async () => {
    const fetch = withFault(exchangesOf("llama-server"), (path) =>
      path === "/completion"
        ? json(
            {
              error: {
                code: 400,
                message: "the request exceeds the available context size",
                type: "exceed_context_size_error",
              },
            },
            400,
          )
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
        ? json({ error: "Invalid API Key" }, 401)
        : replay(input, init);
    };
    const error = await errorOf((await backendOn(fetch, { apiKey: "sk-secret-123" })).classify(sentiment));
    expect(error.code).toBe("ENGINE_UNAVAILABLE");
    expect(error.message).toMatch(/refused the API key/);
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain("sk-secret-123");
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((header) => header === "Bearer sk-secret-123")).toBe(true);
  });

  it("reports a cancelled classification as CLIENT_CLOSED without counting it against the server", async () => {
    const backend = await backendOn(replayFetch(exchangesOf("llama-server")), { circuitFailures: 1 });
    const controller = new AbortController();
    controller.abort();
    expect((await errorOf(backend.classify({ ...sentiment, signal: controller.signal }))).code).toBe(
      "CLIENT_CLOSED",
    );
    expect(backend.status().circuit).toBe("closed");
  });
});
