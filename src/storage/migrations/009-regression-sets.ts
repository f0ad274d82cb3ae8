import type { Kysely, Migration } from "kysely";
import type { SchemaTypes } from "./schema-types.js";

/**
 * Named regression sets (issue 16 item 4): `regression_sets` (one name per task), `regression_set_items` (an
 * interaction with the label it must get; deleted with the set or with the interaction, e.g. by a session erasure),
 * and `regression_set_changes`, the audit log of who created, renamed, deleted or changed a set.
 */
export function regressionSetsMigration(types: SchemaTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("regression_sets")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("task", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addUniqueConstraint("regression_sets_task_name", ["task", "name"])
        .execute();
      await db.schema
        .createTable("regression_set_items")
        .addColumn("set_id", "text", (c) => c.notNull().references("regression_sets.id").onDelete("cascade"))
        .addColumn("interaction_id", "text", (c) =>
          c.notNull().references("interactions.id").onDelete("cascade"),
        )
        .addColumn("expected_label", "text", (c) => c.notNull())
        .addColumn("expected_source", "text", (c) => c.notNull())
        .addColumn("added_by", "text", (c) => c.notNull())
        .addColumn("added_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("regression_set_items_pk", ["set_id", "interaction_id"])
        .execute();
      await db.schema
        .createIndex("regression_set_items_interaction")
        .on("regression_set_items")
        .column("interaction_id")
        .execute();
      await db.schema
        .createTable("regression_set_changes")
        .addColumn("id", types.serialId.type, types.serialId.build)
        .addColumn("set_id", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("interaction_id", "text")
        .addColumn("detail", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("regression_set_changes_set")
        .on("regression_set_changes")
        .columns(["set_id", "id"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("regression_set_changes").ifExists().execute();
      await db.schema.dropTable("regression_set_items").ifExists().execute();
      await db.schema.dropTable("regression_sets").ifExists().execute();
    },
  };
}
