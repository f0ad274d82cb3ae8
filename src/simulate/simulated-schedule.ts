import { Cron } from "croner";

/**
 * A cron expression evaluated on the simulated clock: the same croner the service's schedules use, asked for
 * the next fire time after a simulated instant instead of waiting for the wall clock. The simulation runs the
 * server in UTC, so its days and schedules line up whatever the machine's time zone.
 */
export interface SimulatedSchedule {
  /** The first fire time strictly after `after` (epoch ms), or null when there is none. */
  nextAfter(after: number): number | null;
}

export function createSimulatedSchedule(pattern: string): SimulatedSchedule {
  const cron = new Cron(pattern, { paused: true, timezone: "UTC" });
  return {
    nextAfter(after) {
      return cron.nextRun(new Date(after))?.getTime() ?? null;
    },
  };
}
