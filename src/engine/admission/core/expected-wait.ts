/** A call holding a sequence now: when it started, and how long calls of its class hold one (null: not measured). */
export interface RunningCall {
  startedAt: number;
  expectedMs: number | null;
}

export interface WaitQuestion {
  now: number;
  /** Sequences that can serve the newcomer's class. */
  lanes: number;
  /** The calls holding those sequences. */
  running: readonly RunningCall[];
  /** Requests of the newcomer's class already waiting: each is served first and holds a sequence `serviceMs`. */
  ahead: number;
  /** The newcomer's class's estimated hold time. */
  serviceMs: number;
}

/**
 * How long a newcomer would wait for a sequence: every lane frees when its running call is expected to end (a call
 * of an unmeasured class, or one already past its estimate, is taken to end now), then each request ahead takes the
 * lane that frees first for `serviceMs`, and the newcomer gets the next one. Lanes without a call are free now.
 */
export function expectedWaitMs(question: WaitQuestion): number {
  const { now, running, serviceMs } = question;
  const lanes = Math.max(1, Math.floor(question.lanes));
  const freeAt = running
    .map((call) => now + Math.max(0, (call.expectedMs ?? 0) - (now - call.startedAt)))
    .sort((a, b) => a - b)
    .slice(0, lanes);
  while (freeAt.length < lanes) freeAt.unshift(now);
  for (let served = 0; served < question.ahead; served++) {
    const first = indexOfEarliest(freeAt);
    freeAt[first] = freeAt[first]! + Math.max(0, serviceMs);
  }
  return freeAt[indexOfEarliest(freeAt)]! - now;
}

function indexOfEarliest(times: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < times.length; i++) if (times[i]! < times[best]!) best = i;
  return best;
}

export interface AdmissionQuestion {
  /** From expectedWaitMs. */
  expectedWaitMs: number;
  /** The class's estimated hold time, and how many served calls it rests on. */
  serviceMs: number;
  samples: number;
  /** QUEUE_TIMEOUT_MS: the longest a request may wait for a sequence. */
  queueTimeoutMs: number;
  /** The request's total deadline (its wait included), if it has one. */
  deadlineMs?: number;
}

export type AdmissionDecision =
  { admit: true; budgetMs: number } | { admit: false; budgetMs: number; reason: "expected_wait" };

/**
 * Queue or refuse now: a request whose expected wait is longer than it may wait would only be refused later (at
 * the queue timeout) or cut by its deadline, so it is refused at once. The budget is the queue timeout, or less when
 * the deadline leaves less room after the call's own service time. Nothing measured yet: queue, as without it.
 */
export function decideAdmission(question: AdmissionQuestion): AdmissionDecision {
  const byDeadline = question.deadlineMs === undefined ? Infinity : question.deadlineMs - question.serviceMs;
  const budgetMs = Math.max(0, Math.min(question.queueTimeoutMs, byDeadline));
  if (question.samples === 0 || question.expectedWaitMs <= budgetMs) return { admit: true, budgetMs };
  return { admit: false, budgetMs, reason: "expected_wait" };
}

/** Retry-After for a refusal: when a sequence is expected to be free for it, in whole seconds (1 … 120). */
export function retryAfterSeconds(expectedWaitMs: number): number {
  return Math.min(120, Math.max(1, Math.ceil(expectedWaitMs / 1000)));
}
