/**
 * Batches of fewer tokens than this are generation steps: bound by reading the weights from memory, not by
 * arithmetic. From 3 tokens on, the arithmetic of one core takes longer than the read (measured on the 0.5B Q8_0
 * model: one core reads a step's 493 MB in about 24 ms and computes a prompt token in about 10 ms).
 */
export const promptBatchMinTokens = 3;

/**
 * Pure: the default thread count for generation steps, half of THREADS. On the 2-core machine measured here a
 * generation step took about 24 ms on 1 thread every time, and 22–36 ms on 2 threads: llama.cpp's threads meet at
 * a spinning barrier after every operation, so any other runnable thread (the server's own JavaScript, garbage
 * collection, a second request) stalls both. Prompt batches are arithmetic-bound and keep all threads (2 threads
 * evaluate a 48-token prompt in about half the time of 1).
 */
export function defaultDecodeThreads(threads: number): number {
  return Math.max(1, Math.floor(threads / 2));
}

/** Pure: the threads for one batch, within what the thread splitter (and so the thread governor) allows. */
export function threadsForBatch(batchTokens: number, allowed: number, decodeThreads: number): number {
  return batchTokens >= promptBatchMinTokens ? allowed : Math.max(1, Math.min(allowed, decodeThreads));
}
