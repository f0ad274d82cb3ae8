import { Cron } from "croner";
import type { Kysely } from "kysely";
import type { FleetJobs } from "../../scheduling/fleet-jobs.js";
import type { Database } from "../../storage/database-schema.js";
import { expireInteractions } from "./expire-interactions.js";

/** Hourly, at minute 17: small, regular passes instead of one large delete. */
export const retentionCron = "17 * * * *";

/** Starts RETENTION_DAYS' hourly pass (one replica per tick); a no-op schedule when it is 0. */
export function startRetentionSchedule(options: {
  db: Kysely<Database>;
  retentionDays: number;
  fleet: FleetJobs;
  now: () => number;
  log: (level: "info" | "warn" | "error", message: string) => void;
}): { stop(): void } {
  if (options.retentionDays === 0) return { stop: () => {} };
  const job = new Cron(retentionCron, { protect: true, unref: true }, async () => {
    try {
      const cutoff = options.now() - options.retentionDays * 86_400_000;
      const tick = await options.fleet.run("retention", retentionCron, () =>
        expireInteractions(options.db, cutoff),
      );
      if (tick.ran && tick.result.interactions > 0) {
        options.log(
          "info",
          `retention: deleted ${tick.result.interactions} interactions and ${tick.result.feedbackEvents} feedback events older than ${options.retentionDays} days`,
        );
      }
    } catch (error) {
      options.log("error", `retention failed: ${(error as Error).message}`);
    }
  });
  return { stop: () => job.stop() };
}
