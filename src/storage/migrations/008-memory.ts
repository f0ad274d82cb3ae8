import type { Kysely, Migration } from "kysely";

/**
 * Personal memory (issue 13): `memory_entries` holds each owner's facts, one per (owner, key, subject) so a newer
 * statement replaces the older; `memory_switches` holds an owner's own on/off choice. Owners are salted hashes.
 */
export function memoryMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("memory_entries")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("owner_hash", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("source_interaction_id", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .addColumn("last_used_at", "bigint")
        .addColumn("uses", "integer", (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint("memory_entries_owner_key", ["owner_hash", "key", "subject"])
        .execute();
      await db.schema
        .createIndex("memory_entries_expiry")
        .on("memory_entries")
        .column("expires_at")
        .execute();
      await db.schema
        .createTable("memory_switches")
        .addColumn("owner_hash", "text", (c) => c.primaryKey())
        .addColumn("enabled", "integer", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("memory_switches").ifExists().execute();
      await db.schema.dropTable("memory_entries").ifExists().execute();
    },
  };
}
