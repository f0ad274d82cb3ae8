import type { Kysely } from "kysely";
import type { Database } from "../storage/database-schema.js";
import type { JobLeaseStore } from "./job-lease-store.js";

/**
 * Leases in the `job_leases` table, one row per job. The claim is a single upsert whose update only applies when the
 * row's tick is older and its holder finished or expired: on PostgreSQL, concurrent claims queue on the row lock and
 * each re-checks the condition against the winner's row, so one wins; on SQLite the single writer does the same.
 */
export function createSqlJobLeaseStore(db: Kysely<Database>): JobLeaseStore {
  return {
    async claim({ job, tickAt, holder, now, leaseMs }) {
      const row = await db
        .insertInto("job_leases")
        .values({ job, holder, tick_at: tickAt, lease_until: now + leaseMs, finished_at: null })
        .onConflict((oc) =>
          oc
            .column("job")
            .doUpdateSet({ holder, tick_at: tickAt, lease_until: now + leaseMs, finished_at: null })
            .where("job_leases.tick_at", "<", tickAt)
            .where((eb) =>
              eb.or([eb("job_leases.finished_at", "is not", null), eb("job_leases.lease_until", "<", now)]),
            ),
        )
        .returning("holder")
        .executeTakeFirst();
      return row?.holder === holder;
    },

    async renew({ job, tickAt, holder, now, leaseMs }) {
      const result = await db
        .updateTable("job_leases")
        .set({ lease_until: now + leaseMs })
        .where("job", "=", job)
        .where("holder", "=", holder)
        .where("tick_at", "=", tickAt)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async finish({ job, tickAt, holder, now }) {
      await db
        .updateTable("job_leases")
        .set({ finished_at: now })
        .where("job", "=", job)
        .where("holder", "=", holder)
        .where("tick_at", "=", tickAt)
        .execute();
    },
  };
}
