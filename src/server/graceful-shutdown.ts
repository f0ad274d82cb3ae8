import type { FastifyInstance } from "fastify";

export interface DrainOptions {
  /** How long in-flight requests and streams may take to finish before their connections are closed. */
  timeoutMs: number;
  /** Refuses model requests still waiting for a sequence (they would not start in time). */
  refuseWaiting?: (reason: string) => void;
  /** Model calls still running; after a forced close they end (cancelled) and record their interaction. */
  runningModelCalls?: () => number;
  log?: (level: "info" | "warn", message: string) => void;
}

export interface DrainOutcome {
  /** True when every request finished by itself within the timeout. */
  drained: boolean;
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Resolves once `done()` holds, checking every 20 ms, or after `limitMs`. */
async function waitUntil(done: () => boolean, limitMs: number): Promise<void> {
  const until = performance.now() + limitMs;
  while (!done() && performance.now() < until) await sleep(20);
}

/**
 * Stops accepting connections at once (new requests on kept-alive connections get 503), lets in-flight requests
 * and streams finish, and after `timeoutMs` closes whatever connections remain: a slow or stuck client can't hold
 * the exit. Feedback is acknowledged only after it is committed, so closing a connection never loses any; a reply
 * cut off this way ends like a client disconnect (generation cancelled, the interaction stored as cancelled).
 */
export async function drainServer(server: FastifyInstance, options: DrainOptions): Promise<DrainOutcome> {
  const started = performance.now();
  let finished = false;
  const closing = server.close().then(() => {
    finished = true;
  });
  await Promise.race([closing, sleep(options.timeoutMs)]);
  const drained = finished;
  if (!drained) {
    options.log?.(
      "warn",
      `shutdown: requests still running after ${options.timeoutMs} ms (SHUTDOWN_TIMEOUT_MS); closing their connections`,
    );
    options.refuseWaiting?.("The server is shutting down");
    server.server.closeAllConnections();
    // The handlers see their clients gone, cancel their model calls and store them; give them a moment to.
    await Promise.race([closing, sleep(2000)]);
    await waitUntil(() => (options.runningModelCalls?.() ?? 0) === 0, 2000);
  }
  return { drained, elapsedMs: Math.round(performance.now() - started) };
}
