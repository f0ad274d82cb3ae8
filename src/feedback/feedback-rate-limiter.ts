import { AppError } from "../errors.js";
import { consumeOne, secondsToWait, type RateLimits } from "../rate-limits/rate-limits.js";

/**
 * Beacon posts (sendBeacon, text/plain) a client may still send in a minute after its ordinary budget is used up:
 * a page that is closing gets one chance to deliver its last events, and can't retry a 429.
 */
export const beaconReservePerMinute = 30;

/** Who sent a feedback request, as far as the rate limit is concerned. */
export interface FeedbackSender {
  address: string;
  /** Salted session hash of the interaction's owner, or null for an interaction without a session. */
  sessionHash: string | null;
  /** Sent by navigator.sendBeacon (text/plain): may use the beacon reserve. */
  beacon: boolean;
}

export interface FeedbackRateLimiter {
  /** Counts one request against the sender's address; throws 429 RATE_LIMITED past the budget. */
  admitAddress(sender: FeedbackSender): Promise<void>;
  /** Counts one request against the owner's session (only once the request proved it may give feedback). */
  admitSession(sender: FeedbackSender): Promise<void>;
}

/**
 * Per-address and per-session budgets of FEEDBACK_RATE_LIMIT_PER_MINUTE requests each, with a beacon reserve on top
 * for pages that close. Counted where `limits` keeps counters: shared by the replicas on PostgreSQL, in memory on
 * SQLite. 0 turns the limit off.
 */
export function createFeedbackRateLimiter(perMinute: number, limits: RateLimits): FeedbackRateLimiter {
  if (perMinute === 0) return { admitAddress: async () => {}, admitSession: async () => {} };
  const make = (name: string, points: number) => limits.limiter({ name, points, durationS: 60 });
  const ordinary = {
    address: make("feedback-address", perMinute),
    session: make("feedback-session", perMinute),
  };
  const reserve = {
    address: make("feedback-beacon-address", beaconReservePerMinute),
    session: make("feedback-beacon-session", beaconReservePerMinute),
  };
  const admit = async (scope: "address" | "session", key: string, beacon: boolean) => {
    const rejection = await consumeOne(ordinary[scope], key);
    if (rejection.admitted) return;
    if (beacon && (await consumeOne(reserve[scope], key)).admitted) return;
    const seconds = secondsToWait(rejection);
    throw new AppError(
      "RATE_LIMITED",
      `Too much feedback from this ${scope}: at most ${perMinute} a minute. Try again in ${seconds} s.`,
      { details: { limitPerMinute: perMinute, retryAfterMs: rejection.msBeforeNext, scope } },
    );
  };
  return {
    admitAddress: (sender) => admit("address", sender.address, sender.beacon),
    admitSession: async (sender) => {
      if (sender.sessionHash !== null) await admit("session", sender.sessionHash, sender.beacon);
    },
  };
}
