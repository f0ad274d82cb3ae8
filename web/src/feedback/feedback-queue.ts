import type { FeedbackEvent } from "../api/api-types.js";
import { randomId } from "../session/session-id.js";

/** How one feedback event ended. */
export type FeedbackOutcome =
  | { kind: "recorded" }
  /** Handed to `navigator.sendBeacon` (or a keepalive fetch) while the page was going away. */
  | { kind: "handed_off" }
  /** The server refused it (4xx other than 408/429): retrying would not help. */
  | { kind: "rejected"; status: number; code: string; message: string }
  /** Every attempt failed with a network error or a retryable status. */
  | { kind: "failed"; attempts: number };

/** Options of {@link FeedbackQueue}. */
export interface FeedbackQueueOptions {
  /** Added to every event as `sessionId`. */
  sessionId: string;
  fetch: typeof fetch;
  /** Resolves after `ms`; injected so tests can drive retries with fake timers. */
  wait?: (ms: number) => Promise<void>;
  /** `navigator.sendBeacon`, if the browser has it. */
  sendBeacon?: (url: string, data: Blob) => boolean;
  /** A fresh random id for each event (eventId: the server stores a retried event once); randomId by default. */
  newEventId?: () => string;
  /** In [0, 1); spreads retries of many tabs apart after an outage. Defaults to Math.random. */
  random?: () => number;
  endpoint?: string;
  /** Attempts per event, the first included. */
  maxAttempts?: number;
  /** Delay before the first retry; doubles on each further retry. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

interface QueueItem {
  body: string;
  resolve: (outcome: FeedbackOutcome) => void;
  attempts: number;
}

type AttemptResult =
  { kind: "done"; outcome: FeedbackOutcome } | { kind: "retry"; retryAfterMs: number | null };

// Answers whose feedbackToken is kept: far more than one page shows; the oldest is forgotten first.
const maxRememberedTokens = 2_000;

// Browsers cap the bytes of all in-flight keepalive requests at 64 KiB; larger bodies go without it.
const keepaliveLimitBytes = 60_000;

function retryAfterMs(response: Response): number | null {
  const header = response.headers.get("retry-after");
  if (header === null) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}

async function rejectionOf(response: Response): Promise<FeedbackOutcome> {
  let code = `HTTP_${response.status}`;
  let message = response.statusText;
  try {
    const body: unknown = await response.json();
    if (typeof body === "object" && body !== null && "error" in body) {
      const error: unknown = body.error;
      if (typeof error === "object" && error !== null) {
        if ("code" in error && typeof error.code === "string") code = error.code;
        if ("message" in error && typeof error.message === "string") message = error.message;
      }
    }
  } catch {
    // The status alone is enough to report the refusal.
  }
  return { kind: "rejected", status: response.status, code, message };
}

/**
 * Sends feedback to POST /api/feedback in the background, one event at a time and in order (a 👎 must
 * arrive before the correction that follows it). Network errors, 5xx, 408 and 429 are retried with
 * exponential backoff and jitter; any other 4xx is final, since the same body would be refused again.
 */
export class FeedbackQueue {
  private readonly options: Required<Omit<FeedbackQueueOptions, "sendBeacon">> &
    Pick<FeedbackQueueOptions, "sendBeacon">;
  private readonly pending: QueueItem[] = [];
  private inFlight: QueueItem | null = null;
  private draining = false;
  private readonly tokens = new Map<string, string>();

  constructor(options: FeedbackQueueOptions) {
    this.options = {
      wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
      newEventId: () => randomId(globalThis.crypto),
      endpoint: "/api/feedback",
      maxAttempts: 7,
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      ...options,
    };
  }

  /** Queues an event; the promise settles once it is recorded or given up on, and never rejects. */
  submit(event: FeedbackEvent): Promise<FeedbackOutcome> {
    const body = this.serialize(event);
    return new Promise((resolve) => {
      this.pending.push({ body, resolve, attempts: 0 });
      void this.drain();
    });
  }

  /** Events not yet settled, the one on the wire included. */
  get size(): number {
    return this.pending.length;
  }

  /**
   * Sends an event right away with `sendBeacon`, bypassing the queue, because the page is going away
   * (pagehide) and a queued event might never leave. No retries: the browser owns the request now.
   */
  beacon(event: FeedbackEvent): void {
    this.handOff(this.serialize(event));
  }

  /**
   * Hands every waiting event to `sendBeacon` because the page is being hidden or unloaded and timers
   * may never fire again. The event on the wire is left alone: it was sent with keepalive, and sending
   * it twice would record it twice.
   */
  flushViaBeacon(): void {
    const waiting = this.pending.filter((item) => item !== this.inFlight);
    this.pending.splice(0, this.pending.length, ...(this.inFlight ? [this.inFlight] : []));
    for (const item of waiting) {
      this.handOff(item.body);
      item.resolve({ kind: "handed_off" });
    }
  }

  /** Keeps an answer's feedbackToken, which every event about it then carries. */
  rememberToken(interactionId: string, feedbackToken: string): void {
    this.tokens.delete(interactionId);
    this.tokens.set(interactionId, feedbackToken);
    if (this.tokens.size > maxRememberedTokens) this.tokens.delete(this.tokens.keys().next().value!);
  }

  /** The wire body, made once per event: retries and beacons send the same eventId, so it is stored once. */
  private serialize(event: FeedbackEvent): string {
    const feedbackToken = event.feedbackToken ?? this.tokens.get(event.interactionId);
    return JSON.stringify({
      ...event,
      ...(feedbackToken !== undefined && { feedbackToken }),
      eventId: event.eventId ?? this.options.newEventId(),
      sessionId: this.options.sessionId,
    });
  }

  private handOff(body: string): void {
    // text/plain keeps the beacon a CORS-simple request; the server parses the JSON anyway.
    if (this.options.sendBeacon?.(this.options.endpoint, new Blob([body], { type: "text/plain" }))) return;
    // No sendBeacon, or its quota is used up: a keepalive fetch also outlives the page.
    this.options
      .fetch(this.options.endpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        keepalive: true,
      })
      .catch(() => undefined);
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let item = this.pending[0]; item !== undefined; item = this.pending[0]) {
        this.inFlight = item;
        item.attempts++;
        const result = await this.attempt(item);
        this.inFlight = null;
        if (result.kind === "retry" && item.attempts < this.options.maxAttempts) {
          // While we wait, flushViaBeacon may take the item; the loop then simply moves on.
          await this.options.wait(this.delayBeforeRetry(item.attempts, result.retryAfterMs));
          continue;
        }
        this.pending.splice(this.pending.indexOf(item), 1);
        item.resolve(result.kind === "done" ? result.outcome : { kind: "failed", attempts: item.attempts });
      }
    } finally {
      this.draining = false;
    }
  }

  private delayBeforeRetry(attempts: number, retryAfter: number | null): number {
    const { baseDelayMs, maxDelayMs, random } = this.options;
    const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempts - 1));
    // "Equal jitter": at least half the backoff, so retries never bunch up at zero.
    const jittered = backoff / 2 + (backoff / 2) * random();
    return Math.max(jittered, retryAfter ?? 0);
  }

  private async attempt(item: QueueItem): Promise<AttemptResult> {
    let response: Response;
    try {
      response = await this.options.fetch(this.options.endpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: item.body,
        // keepalive lets the request outlive the page if the user leaves while it is on the wire.
        keepalive: new TextEncoder().encode(item.body).length < keepaliveLimitBytes,
      });
    } catch {
      return { kind: "retry", retryAfterMs: null };
    }
    if (response.ok) return { kind: "done", outcome: { kind: "recorded" } };
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      return { kind: "retry", retryAfterMs: retryAfterMs(response) };
    }
    return { kind: "done", outcome: await rejectionOf(response) };
  }
}
