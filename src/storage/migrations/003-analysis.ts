import { type Kysely, type Migration } from "kysely";
import type { SchemaTypes } from "./schema-types.js";

/**
 * The analysis job's run history: one row per run that got past the "nothing new" check. The row is the job's lock
 * while `status = 'running'` (kept alive by `heartbeat_at`), and its watermark when completed.
 */
export function analysisMigration(types: SchemaTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("analysis_runs")
        .addColumn("id", types.serialId.type, types.serialId.build)
        .addColumn("report_id", "text", (c) => c.unique())
        .addColumn("trigger", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("replayed", "integer", (c) => c.notNull())
        .addColumn("fingerprint", "text", (c) => c.notNull())
        .addColumn("watermark_from", "integer")
        .addColumn("watermark_to", "integer")
        .addColumn("summary", "text", (c) => c.notNull().defaultTo("{}"))
        .addColumn("error", "text")
        .addColumn("started_at", "bigint", (c) => c.notNull())
        .addColumn("heartbeat_at", "bigint", (c) => c.notNull())
        .addColumn("finished_at", "bigint")
        .execute();
      await db.schema
        .createIndex("analysis_runs_status")
        .on("analysis_runs")
        .columns(["status", "id"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("analysis_runs").ifExists().execute();
    },
  };
}
