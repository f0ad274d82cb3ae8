import type { Token } from "node-llama-cpp";
import { AppError } from "../../errors.js";

/** What the pool needs to know of a sequence: the tokens its KV cache holds. */
export interface PooledSequence {
  readonly contextTokens: readonly Token[];
}

interface Waiter<S> {
  tokens: readonly Token[];
  resolve(sequence: S): void;
  reject(error: unknown): void;
}

function commonPrefixLength(a: readonly Token[], b: readonly Token[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * Hands out the context's sequences to requests, one request per sequence at a time. A free sequence whose
 * evaluated tokens share the longest prefix with the request wins, so each prompt version's system prompt stays
 * warm in some sequence and is not evaluated again (prefix affinity).
 */
export class SequencePool<S extends PooledSequence> {
  readonly #free: S[];
  readonly #waiters: Waiter<S>[] = [];
  readonly size: number;

  constructor(sequences: S[]) {
    this.#free = [...sequences];
    this.size = sequences.length;
  }

  /** Requests waiting for a sequence. */
  get queued(): number {
    return this.#waiters.length;
  }

  get idle(): number {
    return this.#free.length;
  }

  /**
   * A free sequence, preferring the one that already holds the longest start of `tokens`; waits (first come,
   * first served) when none is free. Rejects with CLIENT_CLOSED when `signal` aborts first.
   */
  acquire(tokens: readonly Token[], signal?: AbortSignal): Promise<S> {
    if (signal?.aborted) return Promise.reject(new AppError("CLIENT_CLOSED", "The request was cancelled"));
    if (this.#free.length > 0) return Promise.resolve(this.#take(tokens));
    return new Promise((resolve, reject) => {
      const waiter: Waiter<S> = { tokens, resolve, reject };
      this.#waiters.push(waiter);
      signal?.addEventListener(
        "abort",
        () => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) {
            this.#waiters.splice(index, 1);
            reject(new AppError("CLIENT_CLOSED", "The request was cancelled while waiting for the model"));
          }
        },
        { once: true },
      );
    });
  }

  /** Hands the sequence to the longest-waiting request, or back to the free list. */
  release(sequence: S): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(sequence);
    else this.#free.push(sequence);
  }

  #take(tokens: readonly Token[]): S {
    let bestIndex = 0;
    let best = -1;
    for (const [index, sequence] of this.#free.entries()) {
      const shared = commonPrefixLength(sequence.contextTokens, tokens);
      if (shared > best) {
        best = shared;
        bestIndex = index;
      }
    }
    return this.#free.splice(bestIndex, 1)[0]!;
  }
}
