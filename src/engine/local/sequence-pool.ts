import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { AppError } from "../../errors.js";

interface Waiter {
  tokens: readonly Token[];
  resolve(sequence: LlamaContextSequence): void;
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
export class SequencePool {
  readonly #free: LlamaContextSequence[];
  readonly #waiters: Waiter[] = [];
  readonly size: number;

  constructor(sequences: LlamaContextSequence[]) {
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

  acquire(tokens: readonly Token[], signal?: AbortSignal): Promise<LlamaContextSequence> {
    if (signal?.aborted) return Promise.reject(new AppError("CLIENT_CLOSED", "The request was cancelled"));
    if (this.#free.length > 0) return Promise.resolve(this.#take(tokens));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { tokens, resolve, reject };
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

  release(sequence: LlamaContextSequence): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(sequence);
    else this.#free.push(sequence);
  }

  #take(tokens: readonly Token[]): LlamaContextSequence {
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
