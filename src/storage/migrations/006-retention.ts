import { type Kysely, type Migration } from "kysely";

/**
 * What retention keeps of the raw rows it deletes: per day (UTC), task and prompt version, a count per measure
 * (`interactions`, `status:error`, `feedback:label_correct`, ...). Counts are added to, never replaced.
 */
export function retentionMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("retained_totals")
        .addColumn("day", "text", (c) => c.notNull())
        .addColumn("task", "text", (c) => c.notNull())
        .addColumn("prompt_version_id", "text", (c) => c.notNull())
        .addColumn("measure", "text", (c) => c.notNull())
        .addColumn("count", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("retained_totals_pk", ["day", "task", "prompt_version_id", "measure"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("retained_totals").ifExists().execute();
    },
  };
}
