import type pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RLWrapperTimeouts } from "rate-limiter-flexible";
import { limiterOptions, type RateLimits } from "./rate-limits.js";

/** The counters' table (migration 010-rate-limit-counters, in the shape rate-limiter-flexible expects). */
export const rateLimitCountersTable = "rate_limit_counters";

/**
 * How long a request waits for the shared counter before it is counted in this process's memory instead. A counter
 * update takes about a millisecond (docs/operations.md); waiting longer would make a slow database slow every request.
 */
export const sharedCounterTimeoutMs = 250;

/** How often expired counters are deleted, and how long after expiring (the library's own cadence). */
export const counterSweep = { everyMs: 5 * 60_000, expiredForMs: 60 * 60_000 };

/** The in-memory insurance, telling each request it counts (`onUse`): the fallbacks show in the metrics. */
class FallbackLimiter extends RateLimiterMemory {
  constructor(
    options: ConstructorParameters<typeof RateLimiterMemory>[0],
    private readonly onUse: () => void,
  ) {
    super(options);
  }

  override consume(
    ...args: Parameters<RateLimiterMemory["consume"]>
  ): ReturnType<RateLimiterMemory["consume"]> {
    this.onUse();
    return super.consume(...args);
  }
}

export interface PostgresRateLimitOptions {
  /** Longest wait for the shared counter (default `sharedCounterTimeoutMs`). */
  timeoutMs?: number;
  /** Called with the limit's name for every request counted in memory instead of PostgreSQL. */
  onFallback?: (limit: string) => void;
  /** How often expired counters are deleted (default `counterSweep.everyMs`). */
  sweepEveryMs?: number;
}

/**
 * Counters in PostgreSQL, one budget across every replica on the database: each request is one upsert of its key's
 * row (rate-limiter-flexible's RateLimiterPostgres on the stores' pool). When the database fails or takes longer than
 * `timeoutMs`, the request is counted by an in-memory limiter of the same budget instead (the insurance): the limit
 * then holds per replica, as it did before it was shared. Never a 500, never an open door; `onFallback` hears of it.
 * The table comes from our migrations (`tableCreated`). Rows expired an hour ago are deleted every 5 minutes by a
 * timer of ours that `close()` stops (the library's own cleaner, `clearExpiredByTimeout`, has no way to stop it: it
 * would keep querying a closed pool).
 */
export function postgresRateLimits(pool: pg.Pool, settings: PostgresRateLimitOptions = {}): RateLimits {
  const timeoutMs = settings.timeoutMs ?? sharedCounterTimeoutMs;
  const onFallback = settings.onFallback ?? (() => {});
  const sweep = setInterval(() => {
    // Not critical: a failed sweep leaves rows for the next one.
    pool
      .query(`DELETE FROM ${rateLimitCountersTable} WHERE expire < $1`, [
        Date.now() - counterSweep.expiredForMs,
      ])
      .catch(() => {});
  }, settings.sweepEveryMs ?? counterSweep.everyMs);
  sweep.unref();
  return {
    close: () => clearInterval(sweep),
    limiter(spec) {
      const options = limiterOptions(spec);
      const counters = new RateLimiterPostgres({
        ...options,
        storeClient: pool,
        storeType: "pool",
        tableName: rateLimitCountersTable,
        tableCreated: true,
        clearExpiredByTimeout: false,
      });
      // The wrapper hands its blockDuration to the insurance: both must block alike.
      return new RLWrapperTimeouts({
        limiter: counters,
        timeoutMs,
        insuranceLimiter: new FallbackLimiter(options, () => onFallback(spec.name)),
        ...(options.blockDuration !== undefined && { blockDuration: options.blockDuration }),
      });
    },
  };
}
