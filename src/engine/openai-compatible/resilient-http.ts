import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  type CircuitBreakerPolicy,
} from "cockatiel";
import { AppError } from "../../errors.js";
import {
  appErrorFromHttp,
  badResponse,
  EngineHttpError,
  isNetworkError,
  unreachable,
} from "./engine-http-error.js";
import type { FetchFunction } from "./remote-backend-options.js";

/** The server took longer than the call's time limit. */
class EngineTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = "EngineTimeoutError";
  }
}

/** The server answered 2xx with a body that isn't what the endpoint promises. */
class GarbageError extends Error {
  constructor(
    readonly what: string,
    override readonly cause: unknown,
  ) {
    super(what);
    this.name = "GarbageError";
  }
}

export interface ResilientHttpOptions {
  fetch: FetchFunction;
  apiKey: string | undefined;
  timeoutMs: number;
  retries: number;
  circuitFailures: number;
  circuitHalfOpenAfterMs: number;
}

export interface JsonCall<T> {
  url: string;
  /** GET without a body. */
  body?: unknown;
  /** Safe to send twice (a lookup, a classification); only these are retried. */
  idempotent: boolean;
  /** Validates the answer; throwing marks it as garbage. */
  parse: (json: unknown) => T;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

export type CircuitStatus = "closed" | "open" | "half-open";

/** An abort signal that follows a parent and can also be aborted (or time out) on its own. */
export function linkedAbort(parent: AbortSignal | undefined) {
  const controller = new AbortController();
  const follow = () => controller.abort(parent?.reason);
  if (parent?.aborted) follow();
  else parent?.addEventListener("abort", follow, { once: true });
  let timer: NodeJS.Timeout | undefined;
  return {
    signal: controller.signal,
    abort: (reason: unknown) => controller.abort(reason),
    /** (Re)starts a timer that aborts with `reason` unless restarted or cleared first. */
    arm(ms: number, reason: () => unknown) {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(reason()), ms);
    },
    disarm: () => clearTimeout(timer),
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener("abort", follow);
    },
  };
}

/**
 * HTTP to one model server with a time limit on every call, retries with exponential backoff for calls that are
 * safe to repeat, and a circuit breaker (cockatiel) shared by all calls: after `circuitFailures` consecutive
 * failures every call fails at once with ENGINE_UNAVAILABLE until a trial call gets through.
 */
export class ResilientHttp {
  readonly #options: ResilientHttpOptions;
  readonly #server: string;
  readonly #breaker: CircuitBreakerPolicy;
  #lastFailure: string | undefined;

  constructor(server: string, options: ResilientHttpOptions) {
    this.#server = server;
    this.#options = options;
    this.#breaker = circuitBreaker(
      handleWhen(
        (error) =>
          isNetworkError(error) ||
          error instanceof EngineTimeoutError ||
          error instanceof GarbageError ||
          (error instanceof EngineHttpError && error.status >= 500),
      ),
      {
        halfOpenAfter: options.circuitHalfOpenAfterMs,
        breaker: new ConsecutiveBreaker(options.circuitFailures),
      },
    );
    this.#breaker.onFailure(({ reason }) => {
      if ("error" in reason) this.#lastFailure = this.toAppError(reason.error).message;
    });
  }

  get circuit(): CircuitStatus {
    const state = this.#breaker.state;
    if (state === CircuitState.Closed) return "closed";
    return state === CircuitState.HalfOpen ? "half-open" : "open";
  }

  /** The last failure the breaker counted, for the health page. */
  get lastFailure(): string | undefined {
    return this.#lastFailure;
  }

  headers(body: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body) headers["content-type"] = "application/json";
    if (this.#options.apiKey) headers.authorization = `Bearer ${this.#options.apiKey}`;
    return headers;
  }

  async json<T>(call: JsonCall<T>): Promise<T> {
    const attempt = () => this.#breaker.execute(() => this.#attempt(call));
    try {
      if (!call.idempotent || this.#options.retries === 0) return await attempt();
      const retrying = retry(
        handleWhen((error) => isNetworkError(error) || (error instanceof EngineHttpError && error.transient)),
        {
          maxAttempts: this.#options.retries,
          backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2000 }),
        },
      );
      return await retrying.execute(attempt, call.signal);
    } catch (error) {
      throw this.toAppError(error, call.signal);
    }
  }

  /**
   * Opens a streamed POST: the time limit covers the answer's headers, the breaker counts whether it opened.
   * Not retried (a reply is not safe to repeat). The caller owns the returned abort handle.
   */
  async openStream(url: string, body: unknown, signal: AbortSignal | undefined) {
    const abort = linkedAbort(signal);
    try {
      const response = await this.#breaker.execute(async () => {
        abort.arm(this.#options.timeoutMs, () => new EngineTimeoutError(this.#options.timeoutMs));
        try {
          const answer = await this.#options.fetch(url, {
            method: "POST",
            headers: { ...this.headers(true), accept: "text/event-stream" },
            body: JSON.stringify(body),
            signal: abort.signal,
          });
          if (!answer.ok) throw new EngineHttpError(answer.status, await answer.text(), url);
          if (!answer.body) throw new GarbageError("answered a stream request without a body", undefined);
          return answer;
        } catch (error) {
          throw abort.signal.aborted ? abortReason(abort.signal, error) : error;
        } finally {
          abort.disarm();
        }
      });
      return { response, abort };
    } catch (error) {
      abort.dispose();
      throw this.toAppError(error, signal);
    }
  }

  /** What any failure means to the caller, as an AppError with the server named (never the key). */
  toAppError(error: unknown, signal?: AbortSignal): AppError {
    if (signal?.aborted) return new AppError("CLIENT_CLOSED", "The request was cancelled", { cause: error });
    if (error instanceof AppError) return error;
    if (error instanceof BrokenCircuitError) {
      const last = this.#lastFailure ?? `The model server ${this.#server} is failing`;
      return new AppError(
        "ENGINE_UNAVAILABLE",
        `${last} (circuit open: calls fail at once until a trial call gets through)`,
        { cause: error },
      );
    }
    if (error instanceof EngineTimeoutError) {
      return new AppError("ENGINE_TIMEOUT", `The model server ${this.#server} gave ${error.message}`, {
        cause: error,
      });
    }
    if (error instanceof EngineHttpError) return appErrorFromHttp(error, this.#server);
    if (error instanceof GarbageError) return badResponse(this.#server, error.what, error.cause);
    if (isNetworkError(error)) return unreachable(this.#server, error);
    return badResponse(this.#server, `failed: ${(error as Error).message}`, error);
  }

  async #attempt<T>(call: JsonCall<T>): Promise<T> {
    const limit = call.timeoutMs ?? this.#options.timeoutMs;
    const abort = linkedAbort(call.signal);
    abort.arm(limit, () => new EngineTimeoutError(limit));
    try {
      const response = await this.#options.fetch(call.url, {
        method: call.body === undefined ? "GET" : "POST",
        headers: this.headers(call.body !== undefined),
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        signal: abort.signal,
      });
      const text = await response.text();
      if (!response.ok) throw new EngineHttpError(response.status, text, call.url);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new GarbageError(
          `answered ${call.url} with something that is not JSON: ${text.slice(0, 80)}`,
          error,
        );
      }
      try {
        return call.parse(json);
      } catch (error) {
        throw new GarbageError(
          `answered ${call.url} in an unexpected shape: ${(error as Error).message}`,
          error,
        );
      }
    } catch (error) {
      throw abort.signal.aborted ? abortReason(abort.signal, error) : error;
    } finally {
      abort.dispose();
    }
  }
}

/** Why a fetch was aborted: our time limit, or the caller's signal (then CLIENT_CLOSED). */
function abortReason(signal: AbortSignal, error: unknown): unknown {
  const reason: unknown = signal.reason;
  if (reason instanceof EngineTimeoutError) return reason;
  return new AppError("CLIENT_CLOSED", "The request was cancelled", { cause: error });
}

export { EngineTimeoutError, GarbageError };
