import type { DrainOutcome } from "./graceful-shutdown.js";

/**
 * SIGTERM and SIGINT start a graceful shutdown (`shutdown`, bounded by SHUTDOWN_TIMEOUT_MS) and exit when it is
 * done; a second signal exits at once.
 */
export function exitOnSignals(
  shutdown: () => Promise<DrainOutcome>,
  log: (message: string) => void,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      log(`${signal} again: exiting now`);
      exit(1);
      return;
    }
    closing = true;
    log(`${signal}: no new connections; finishing in-flight requests`);
    shutdown().then(
      (outcome) => {
        log(
          outcome.drained
            ? `closed after ${outcome.elapsedMs} ms, every request finished`
            : `closed after ${outcome.elapsedMs} ms; connections still open at the deadline were closed`,
        );
        exit(0);
      },
      (error: unknown) => {
        log(`shutdown failed: ${(error as Error).message}`);
        exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}
