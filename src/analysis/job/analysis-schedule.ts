import { Cron } from "croner";
import { AppError } from "../../errors.js";

/** A started schedule. */
export interface AnalysisSchedule {
  /** When the next run is due; null when the expression has no future time. */
  nextRun(): Date | null;
  stop(): void;
}

/** Throws CONFIG_INVALID naming ANALYSIS_CRON when croner can't parse the expression. */
export function validateAnalysisCron(pattern: string): void {
  try {
    new Cron(pattern, { paused: true }).stop();
  } catch (error) {
    throw new AppError(
      "CONFIG_INVALID",
      `ANALYSIS_CRON "${pattern}" is not a valid cron expression: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Runs the analysis on a cron schedule (server local time). A tick that comes while the previous scheduled run is
 * still going is skipped (croner's `protect`); a run refused because another one (API, CLI) holds the lock is
 * logged and waits for the next tick. Failures are logged, never thrown: a schedule must outlive a bad night.
 */
export function startAnalysisSchedule(
  pattern: string,
  run: () => Promise<string>,
  log: (level: "info" | "warn" | "error", message: string) => void,
): AnalysisSchedule {
  validateAnalysisCron(pattern);
  const job = new Cron(pattern, { protect: true }, async () => {
    try {
      log("info", `scheduled analysis: ${await run()}`);
    } catch (error) {
      const code = error instanceof AppError ? error.code : "INTERNAL";
      log(
        code === "CONFLICT" ? "warn" : "error",
        `scheduled analysis failed (${code}): ${(error as Error).message}`,
      );
    }
  });
  return { nextRun: () => job.nextRun(), stop: () => job.stop() };
}
