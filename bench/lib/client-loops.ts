/** One request's time (sent → answer read) and what it resolved with. */
export interface TimedCall<T> {
  ms: number;
  value: T;
}

export interface ClientLoopsOptions<T> {
  clients: number;
  /** Each client stops after this many requests… */
  requestsPerClient: number;
  /** …or as soon as this turns false (checked before each request). */
  keepGoing?: () => boolean;
  /** Sends request number `n`, counted across all clients from 0; a throw fails the whole run. */
  send: (n: number) => Promise<T>;
}

/**
 * Closed-loop HTTP clients, the way the benchmarks load a server: `clients` at once, each sending its next request
 * only when the previous one is answered. Returns every request's time, in the order they finished, and the wall
 * time of the whole run.
 */
export async function runClientLoops<T>(
  options: ClientLoopsOptions<T>,
): Promise<{ calls: TimedCall<T>[]; seconds: number }> {
  const calls: TimedCall<T>[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      for (let i = 0; i < options.requestsPerClient && (options.keepGoing?.() ?? true); i++) {
        const sent = performance.now();
        const value = await options.send(next++);
        calls.push({ ms: performance.now() - sent, value });
      }
    }),
  );
  return { calls, seconds: (performance.now() - started) / 1000 };
}
