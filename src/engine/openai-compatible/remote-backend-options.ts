/** The `fetch` the backend calls: the global one by default, a recorder or a fault injector in tests. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/**
 * How classifications are scored on the server:
 * - `token-logprobs`: llama-server's own `/completion` with each label forced token by token; every label token's
 *   log-probability over the whole vocabulary. Exact, like the embedded engine.
 * - `text-logprobs`: an OpenAI-style `/v1/chat/completions` per label, constrained to answer exactly that label,
 *   with `logprobs`. Exact up to how the server tokenizes the forced text.
 * - `generated`: one constrained generation (a JSON-schema enum of the labels) matched to a label. The server gives
 *   no probabilities, so the confidence is 1.
 */
export type ClassifyMode = "token-logprobs" | "text-logprobs" | "generated";

export interface OpenAiCompatibleBackendOptions {
  /** The server's URL, with or without the trailing `/v1` (e.g. `http://127.0.0.1:8081`, `http://ollama:11434/v1`). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; never logged. */
  apiKey?: string | undefined;
  /** The model name sent with every request; default: the first one the server lists at `/v1/models`. */
  model?: string | undefined;
  /** Default: detected (llama-server → token-logprobs; other servers → text-logprobs if they return logprobs). */
  classifyMode?: ClassifyMode | undefined;
  /** Default: `globalThis.fetch`. */
  fetch?: FetchFunction | undefined;
  /** Longest wait for a non-streamed answer, and for a stream's first byte. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Longest silence between two streamed chunks before the reply counts as stalled. Default 30 s. */
  streamIdleTimeoutMs?: number | undefined;
  /** Extra attempts for calls that are safe to repeat (lookups and classifications), with exponential backoff. */
  retries?: number | undefined;
  /** Consecutive failures that open the circuit; then calls fail at once until `circuitHalfOpenAfterMs`. */
  circuitFailures?: number | undefined;
  circuitHalfOpenAfterMs?: number | undefined;
  /** Used until the server reports its own (llama-server's `/props`). */
  contextSize?: number | undefined;
}
