import { sql, type Kysely, type Migration } from "kysely";

/**
 * For several replicas on one database: a lease per scheduled job, so each cron tick runs once across the fleet and a
 * replica that dies mid-job is replaced at the next tick; and at most one running analysis run, enforced by the
 * database itself (SQLite serialised this by its one writer; PostgreSQL transactions run side by side).
 */
export function fleetMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("job_leases")
        .addColumn("job", "text", (c) => c.primaryKey())
        .addColumn("holder", "text", (c) => c.notNull())
        .addColumn("tick_at", "bigint", (c) => c.notNull())
        .addColumn("lease_until", "bigint", (c) => c.notNull())
        .addColumn("finished_at", "bigint")
        .execute();
      await db.schema
        .createIndex("analysis_runs_one_running")
        .on("analysis_runs")
        .column("status")
        .unique()
        .where(sql.ref("status"), "=", sql.lit("running"))
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex("analysis_runs_one_running").ifExists().execute();
      await db.schema.dropTable("job_leases").ifExists().execute();
    },
  };
}
