import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

/** One budget: `points` requests per key in `durationS` seconds; past it, the key waits `blockDurationS` if set. */
export interface RateLimitSpec {
  /** Tells this budget's counters apart from the others' where they are shared (a key prefix). */
  name: string;
  points: number;
  durationS: number;
  blockDurationS?: number;
}

/**
 * Makes the rate limiters (model requests, feedback, wrong admin tokens). Where their counters live is the
 * composition root's choice: this process's memory (SQLite: one process), or PostgreSQL shared by every replica.
 */
export interface RateLimits {
  limiter(spec: RateLimitSpec): RateLimiterAbstract;
  /** Stops the background work (PostgreSQL: the sweep of expired counters); called when the services close. */
  close(): void;
}

/** rate-limiter-flexible's options for a spec (the memory limiter's, and the shared one's in-memory insurance). */
export function limiterOptions(spec: RateLimitSpec) {
  return {
    keyPrefix: spec.name,
    points: spec.points,
    duration: spec.durationS,
    ...(spec.blockDurationS !== undefined && { blockDuration: spec.blockDurationS }),
  };
}

/** Counters in this process's memory: right for one process (SQLite), per replica otherwise. */
export function memoryRateLimits(): RateLimits {
  // Each key's timer is unref'd and ends with its window: nothing to stop.
  return { limiter: (spec) => new RateLimiterMemory(limiterOptions(spec)), close: () => {} };
}

/** One request counted: whether it passed, what is left of the budget, and when the window (or block) ends. */
export interface LimitOutcome {
  admitted: boolean;
  remaining: number;
  msBeforeNext: number;
}

/**
 * Counts one request for `key` against `limiter`. A refusal is an outcome, not an exception; any other failure is
 * thrown (the limiters `RateLimits` gives never fail for storage: they fall back to memory).
 */
export async function consumeOne(limiter: RateLimiterAbstract, key: string): Promise<LimitOutcome> {
  const outcome = (state: RateLimiterRes, admitted: boolean) => ({
    admitted,
    remaining: state.remainingPoints,
    msBeforeNext: state.msBeforeNext,
  });
  try {
    return outcome(await limiter.consume(key), true);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return outcome(rejection, false);
    throw rejection;
  }
}

/** Whole seconds to wait (at least 1), for `Retry-After` and messages. */
export function secondsToWait(rejection: { msBeforeNext: number }): number {
  return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
}
