import { AppError } from "../../errors.js";

/**
 * Who is asking for the model. Classifications go first and have a sequence of their own; replies take the
 * others; background work (the analysis's replays) waits for any free sequence behind both, without limit.
 */
export type AdmissionClass = "classify" | "generate" | "background";

export const admissionClasses: readonly AdmissionClass[] = ["classify", "generate", "background"];

export interface AdmissionGateOptions {
  /** Model calls served at once: the backend's sequences (or a remote server's slots). */
  slots: number;
  /**
   * Interactive requests that may wait for a sequence, per class (classifications and replies queue separately);
   * past it, ENGINE_BUSY at once. 0: refuse whenever every sequence is busy.
   */
  maxQueued: number;
  /** Longest wait for a sequence before ENGINE_BUSY; background work waits without limit. */
  queueTimeoutMs: number;
  now?: () => number;
}

/** A snapshot of the gate, for /metrics and /api/health. */
export interface AdmissionStats {
  slots: number;
  maxQueued: number;
  running: Record<AdmissionClass, number>;
  queued: Record<AdmissionClass, number>;
  /** Since start: requests refused because the queue was full, or because they waited too long. */
  refused: { queueFull: number; waitTimeout: number };
}

interface Waiter {
  cls: AdmissionClass;
  enqueuedAt: number;
  grant(): void;
  reject(error: AppError): void;
}

/** A sequence held by one request: `release` exactly once when the model call ends. */
export interface AdmissionTicket {
  /** How long the request waited for it. */
  waitedMs: number;
  release(): void;
}

const emptyCounts = (): Record<AdmissionClass, number> => ({ classify: 0, generate: 0, background: 0 });

/**
 * Bounded admission to the model: at most `slots` calls run at once; a few wait, first come first served within a
 * class, classifications before replies before background work; the rest are refused at once with 503 ENGINE_BUSY
 * and a Retry-After estimate, so an overloaded server answers in milliseconds instead of letting queues grow.
 * With more than one slot, replies never take the last free one: a classification never waits behind a reply.
 */
export class AdmissionGate {
  readonly #options: Required<AdmissionGateOptions>;
  readonly #running = emptyCounts();
  readonly #queues: Record<AdmissionClass, Waiter[]> = { classify: [], generate: [], background: [] };
  readonly #refused = { queueFull: 0, waitTimeout: 0 };
  /** Recent time a call held its sequence, per class (exponentially weighted), for Retry-After. */
  readonly #serviceMs: Record<AdmissionClass, number> = { classify: 500, generate: 10_000, background: 500 };

  constructor(options: AdmissionGateOptions) {
    if (!Number.isInteger(options.slots) || options.slots < 1) throw new Error("slots must be at least 1");
    this.#options = { now: Date.now, ...options };
  }

  /** Waits for a sequence; rejects with ENGINE_BUSY (queue full, waited too long) or CLIENT_CLOSED (signal). */
  acquire(cls: AdmissionClass, signal?: AbortSignal): Promise<AdmissionTicket> {
    if (signal?.aborted) return Promise.reject(new AppError("CLIENT_CLOSED", "The request was cancelled"));
    const enqueuedAt = this.#options.now();
    if (this.#queues[cls].length === 0 && this.#canRun(cls)) {
      return Promise.resolve(this.#start(cls, enqueuedAt));
    }
    if (cls !== "background" && this.#queues[cls].length >= this.#options.maxQueued) {
      this.#refused.queueFull++;
      return Promise.reject(
        this.#busy(cls, `all ${this.#options.slots} model sequences are busy and the queue is full`),
      );
    }
    return new Promise<AdmissionTicket>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        if (!this.#remove(waiter)) return;
        reject(new AppError("CLIENT_CLOSED", "The request was cancelled while waiting for the model"));
      };
      const waiter: Waiter = {
        cls,
        enqueuedAt,
        grant: () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          resolve(this.#start(cls, enqueuedAt));
        },
        reject: (error) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      this.#queues[cls].push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
      if (cls !== "background") {
        timer = setTimeout(() => {
          if (!this.#remove(waiter)) return;
          this.#refused.waitTimeout++;
          waiter.reject(
            this.#busy(cls, `no model sequence became free within ${this.#options.queueTimeoutMs} ms`),
          );
        }, this.#options.queueTimeoutMs);
        timer.unref();
      }
    });
  }

  stats(): AdmissionStats {
    const queued = emptyCounts();
    for (const cls of admissionClasses) queued[cls] = this.#queues[cls].length;
    return {
      slots: this.#options.slots,
      maxQueued: this.#options.maxQueued,
      running: { ...this.#running },
      queued,
      refused: { ...this.#refused },
    };
  }

  /** Refuses every waiting request (shutdown): running ones are left to finish. */
  refuseWaiting(reason: string): void {
    for (const cls of admissionClasses) {
      for (const waiter of this.#queues[cls].splice(0)) {
        waiter.reject(new AppError("ENGINE_BUSY", reason, { details: { retryAfterMs: 5000 } }));
      }
    }
  }

  #runningTotal(): number {
    return this.#running.classify + this.#running.generate + this.#running.background;
  }

  /** Replies (and background work) leave the last sequence to classifications when there is more than one. */
  #canRun(cls: AdmissionClass): boolean {
    const free = this.#options.slots - this.#runningTotal();
    if (free <= 0) return false;
    if (cls === "classify" || this.#options.slots === 1) return true;
    return this.#running.generate + this.#running.background < this.#options.slots - 1;
  }

  #start(cls: AdmissionClass, enqueuedAt: number): AdmissionTicket {
    this.#running[cls]++;
    const startedAt = this.#options.now();
    let released = false;
    return {
      waitedMs: startedAt - enqueuedAt,
      release: () => {
        if (released) return;
        released = true;
        this.#running[cls]--;
        const heldMs = this.#options.now() - startedAt;
        this.#serviceMs[cls] = 0.8 * this.#serviceMs[cls] + 0.2 * heldMs;
        this.#dispatch();
      },
    };
  }

  /** Hands free sequences to waiters: classifications first, then replies, then background work. */
  #dispatch(): void {
    for (const cls of admissionClasses) {
      const queue = this.#queues[cls];
      while (queue.length > 0 && this.#canRun(cls)) queue.shift()!.grant();
    }
  }

  #remove(waiter: Waiter): boolean {
    const queue = this.#queues[waiter.cls];
    const index = queue.indexOf(waiter);
    if (index < 0) return false;
    queue.splice(index, 1);
    return true;
  }

  /** ENGINE_BUSY with a Retry-After estimate: the time for the queue ahead to drain through the slots. */
  #busy(cls: AdmissionClass, why: string): AppError {
    const ahead = this.#queues[cls].length + 1;
    const slots = cls === "classify" ? this.#options.slots : Math.max(1, this.#options.slots - 1);
    const seconds = Math.ceil((this.#serviceMs[cls] * Math.ceil(ahead / slots)) / 1000);
    const retryAfterSeconds = Math.min(120, Math.max(1, seconds));
    return new AppError("ENGINE_BUSY", `The model is busy: ${why}. Retry in about ${retryAfterSeconds} s.`, {
      details: { retryAfterMs: retryAfterSeconds * 1000 },
    });
  }
}
