import { Cron } from "croner";
import { AppError } from "../../errors.js";
import type { EvaluationReport } from "./evaluation-report.js";

/** Options of {@link startRolloutSchedule}. */
export interface RolloutScheduleOptions {
  /** A cron expression (server local time), or `off`. */
  cron: string;
  /** The evaluation to run: the rollout service's evaluateNow; null when another replica took this tick. */
  evaluate: () => Promise<EvaluationReport | null>;
  /** Told about every look that changed something or failed (for the log); quiet looks are not reported. */
  onReport?: (report: EvaluationReport) => void;
  onError?: (error: unknown) => void;
}

/** A started schedule. */
export interface RolloutSchedule {
  /** When the next look is due; null when the schedule is off. */
  nextRun(): Date | null;
  stop(): void;
}

/** Throws AppError CONFIG_INVALID unless `cron` is `off` or a cron expression croner understands. */
export function validateRolloutCron(cron: string): void {
  if (cron.trim() === "off") return;
  try {
    new Cron(cron, { paused: true }).stop();
  } catch (error) {
    throw new AppError(
      "CONFIG_INVALID",
      `ROLLOUT_CRON "${cron}" is not a cron expression: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Evaluates running experiments on a cron schedule. A look that is still running when the next one is due is
 * not doubled up (croner's `protect`), and the timer does not keep the process alive on its own.
 */
export function startRolloutSchedule(options: RolloutScheduleOptions): RolloutSchedule {
  validateRolloutCron(options.cron);
  if (options.cron.trim() === "off") return { nextRun: () => null, stop: () => {} };
  const job = new Cron(options.cron, { protect: true, unref: true }, async () => {
    try {
      const report = await options.evaluate();
      if (report === null) return;
      const eventful =
        report.failures.length > 0 ||
        report.retired.length > 0 ||
        report.decisions.some((decision) => decision.action !== "continue") ||
        report.holdbacks.some((look) => look.action !== "continue");
      if (eventful) {
        options.onReport?.(report);
      }
    } catch (error) {
      options.onError?.(error);
    }
  });
  return { nextRun: () => job.nextRun(), stop: () => job.stop() };
}
