import { AppError } from "../../errors.js";
import {
  decideAdmission,
  expectedWaitMs,
  retryAfterSeconds,
  type RunningCall,
} from "./core/expected-wait.js";
import { noServiceTime, recordServiceTime, type ServiceTimeEstimate } from "./core/service-time.js";

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
  queueTimeoutMs: number;
  running: Record<AdmissionClass, number>;
  queued: Record<AdmissionClass, number>;
  /**
   * Since start: requests refused because the queue was full, because their expected wait was longer than they may
   * wait (at once), or because they waited too long.
   */
  refused: { queueFull: number; expectedWait: number; waitTimeout: number };
  /** How long a served call of each class holds its sequence (moving estimate; ms null: nothing measured yet). */
  serviceTime: Record<AdmissionClass, { ms: number | null; samples: number }>;
  /** How long one more interactive request of the class would wait for a sequence now (null: not measured yet). */
  expectedWaitMs: { classify: number | null; generate: number | null };
}

/** Options of one acquire call. */
export interface AcquireOptions {
  signal?: AbortSignal;
  /** The request's total deadline (its wait included): a wait that leaves it no time to be served is refused. */
  deadlineMs?: number;
}

interface RunningTicket {
  cls: AdmissionClass;
  startedAt: number;
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
  /**
   * `served: false` when the call ended early (client gone, error): its hold time then says nothing about how long
   * a call of its class takes, and is left out of the estimate.
   */
  release(outcome?: { served: boolean }): void;
}

const emptyCounts = (): Record<AdmissionClass, number> => ({ classify: 0, generate: 0, background: 0 });

/** Before a class has a measured hold time, Retry-After assumes these (ms). */
const assumedServiceMs: Record<AdmissionClass, number> = { classify: 500, generate: 10_000, background: 500 };

/**
 * Bounded admission to the model: at most `slots` calls run at once; a few wait, first come first served within a
 * class, classifications before replies before background work; the rest are refused at once with 503 ENGINE_BUSY
 * and a Retry-After estimate, so an overloaded server answers in milliseconds instead of letting queues grow.
 * A request that would wait longer than QUEUE_TIMEOUT_MS (or its deadline allows) is refused at once too: the
 * expected wait comes from the running calls and a moving estimate of each class's hold time (core/).
 * With more than one slot, replies never take the last free one: a classification never waits behind a reply.
 */
export class AdmissionGate {
  readonly #options: Required<AdmissionGateOptions>;
  readonly #running = emptyCounts();
  readonly #calls = new Set<RunningTicket>();
  readonly #queues: Record<AdmissionClass, Waiter[]> = { classify: [], generate: [], background: [] };
  readonly #refused = { queueFull: 0, expectedWait: 0, waitTimeout: 0 };
  readonly #serviceTime: Record<AdmissionClass, ServiceTimeEstimate> = {
    classify: noServiceTime,
    generate: noServiceTime,
    background: noServiceTime,
  };

  constructor(options: AdmissionGateOptions) {
    if (!Number.isInteger(options.slots) || options.slots < 1) throw new Error("slots must be at least 1");
    this.#options = { now: Date.now, ...options };
  }

  /**
   * Waits for a sequence; rejects with ENGINE_BUSY (queue full, expected to wait too long, waited too long) or
   * CLIENT_CLOSED (signal).
   */
  acquire(cls: AdmissionClass, options: AcquireOptions = {}): Promise<AdmissionTicket> {
    const { signal } = options;
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
    if (cls !== "background") {
      const expected = this.#expectedWait(cls);
      const estimate = this.#serviceTime[cls];
      const decision = decideAdmission({
        expectedWaitMs: expected,
        serviceMs: estimate.ms,
        samples: estimate.samples,
        queueTimeoutMs: this.#options.queueTimeoutMs,
        ...(options.deadlineMs !== undefined && { deadlineMs: options.deadlineMs }),
      });
      if (!decision.admit) {
        this.#refused.expectedWait++;
        return Promise.reject(
          this.#busy(
            cls,
            `a model sequence is expected to be free in about ${Math.round(expected / 1000)} s, ` +
              `longer than a request may wait (${Math.round(decision.budgetMs / 1000)} s)`,
          ),
        );
      }
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
    const serviceTime = {} as AdmissionStats["serviceTime"];
    for (const cls of admissionClasses) {
      const { ms, samples } = this.#serviceTime[cls];
      serviceTime[cls] = { ms: samples > 0 ? Math.round(ms) : null, samples };
    }
    const waitOf = (cls: AdmissionClass) =>
      this.#serviceTime[cls].samples > 0 ? Math.round(this.#expectedWait(cls)) : null;
    return {
      slots: this.#options.slots,
      maxQueued: this.#options.maxQueued,
      queueTimeoutMs: this.#options.queueTimeoutMs,
      running: { ...this.#running },
      queued,
      refused: { ...this.#refused },
      serviceTime,
      expectedWaitMs: { classify: waitOf("classify"), generate: waitOf("generate") },
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

  /**
   * The wait of one more request of the class behind its queue: classifications may take any sequence, replies and
   * background work all but the one kept for classifications.
   */
  #expectedWait(cls: AdmissionClass): number {
    const reserved = cls !== "classify" && this.#options.slots > 1;
    const running: RunningCall[] = [];
    for (const call of this.#calls) {
      if (reserved && call.cls === "classify") continue;
      const estimate = this.#serviceTime[call.cls];
      running.push({ startedAt: call.startedAt, expectedMs: estimate.samples > 0 ? estimate.ms : null });
    }
    return expectedWaitMs({
      now: this.#options.now(),
      lanes: reserved ? this.#options.slots - 1 : this.#options.slots,
      running,
      ahead: this.#queues[cls].length,
      serviceMs: this.#serviceTime[cls].ms,
    });
  }

  #start(cls: AdmissionClass, enqueuedAt: number): AdmissionTicket {
    this.#running[cls]++;
    const call: RunningTicket = { cls, startedAt: this.#options.now() };
    this.#calls.add(call);
    let released = false;
    return {
      waitedMs: call.startedAt - enqueuedAt,
      release: (outcome = { served: true }) => {
        if (released) return;
        released = true;
        this.#running[cls]--;
        this.#calls.delete(call);
        if (outcome.served) {
          this.#serviceTime[cls] = recordServiceTime(
            this.#serviceTime[cls],
            this.#options.now() - call.startedAt,
          );
        }
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

  /**
   * ENGINE_BUSY with a Retry-After: when a sequence is expected to be free for one more request of the class (the
   * measured estimate), or, before anything was measured, the queue ahead draining at an assumed hold time.
   */
  #busy(cls: AdmissionClass, why: string): AppError {
    let waitMs: number;
    if (this.#serviceTime[cls].samples > 0) {
      waitMs = this.#expectedWait(cls);
    } else {
      const ahead = this.#queues[cls].length + 1;
      const slots = cls === "classify" ? this.#options.slots : Math.max(1, this.#options.slots - 1);
      waitMs = assumedServiceMs[cls] * Math.ceil(ahead / slots);
    }
    const seconds = retryAfterSeconds(waitMs);
    return new AppError("ENGINE_BUSY", `The model is busy: ${why}. Retry in about ${seconds} s.`, {
      details: { retryAfterMs: seconds * 1000 },
    });
  }
}
