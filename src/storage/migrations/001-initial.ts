import { type Kysely, type Migration } from "kysely";
import type { SchemaTypes } from "./schema-types.js";

/** Interactions, feedback events, and the prompt registry's immutable versions and movable labels. */
export function initialMigration(types: SchemaTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("prompt_versions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("task", "text", (c) => c.notNull())
        .addColumn("version", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("content_hash", "text", (c) => c.notNull())
        .addColumn("definition", "text", (c) => c.notNull())
        .addColumn("parent_id", "text", (c) => c.references("prompt_versions.id"))
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("changelog", "text", (c) => c.notNull().defaultTo("{}"))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addUniqueConstraint("prompt_versions_task_version", ["task", "version"])
        .execute();

      await db.schema
        .createTable("prompt_labels")
        .addColumn("task", "text", (c) => c.notNull())
        .addColumn("label", "text", (c) => c.notNull())
        .addColumn("version_id", "text", (c) => c.notNull().references("prompt_versions.id"))
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("prompt_labels_pk", ["task", "label"])
        .execute();

      await db.schema
        .createTable("prompt_label_moves")
        .addColumn("id", types.serialId.type, types.serialId.build)
        .addColumn("task", "text", (c) => c.notNull())
        .addColumn("label", "text", (c) => c.notNull())
        .addColumn("from_version_id", "text")
        .addColumn("to_version_id", "text")
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("interactions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("task", "text", (c) => c.notNull())
        .addColumn("prompt_version_id", "text", (c) => c.notNull().references("prompt_versions.id"))
        .addColumn("parent_id", "text", (c) => c.references("interactions.id"))
        .addColumn("session_hash", "text")
        .addColumn("user_hash", "text")
        .addColumn("input", "text", (c) => c.notNull())
        .addColumn("output", "text")
        .addColumn("label", "text")
        .addColumn("confidence", types.double)
        .addColumn("latency_ms", types.double)
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("error_code", "text")
        .addColumn("experiment_id", "text")
        .addColumn("arm", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("completed_at", "bigint")
        .execute();
      await db.schema
        .createIndex("interactions_task_version_created")
        .on("interactions")
        .columns(["task", "prompt_version_id", "created_at"])
        .execute();
      await db.schema.createIndex("interactions_created").on("interactions").column("created_at").execute();
      await db.schema
        .createIndex("interactions_experiment")
        .on("interactions")
        .columns(["experiment_id", "arm"])
        .execute();

      await db.schema
        .createTable("feedback_events")
        .addColumn("id", types.serialId.type, types.serialId.build)
        .addColumn("interaction_id", "text", (c) => c.notNull().references("interactions.id"))
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("session_hash", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("feedback_events_interaction")
        .on("feedback_events")
        .columns(["interaction_id", "id"])
        .execute();

      await db.schema
        .createTable("meta")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        "feedback_events",
        "interactions",
        "prompt_label_moves",
        "prompt_labels",
        "prompt_versions",
        "meta",
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
