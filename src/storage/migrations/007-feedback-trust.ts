import type { Kysely, Migration } from "kysely";
import type { SchemaTypes } from "./schema-types.js";

/**
 * Feedback that only its owner can give, once (issue 17): `feedback_events.dedupe_key` identifies an event within its
 * interaction (the client's eventId, or a hash of its content), and a unique index makes a replayed event a no-op;
 * existing rows keep NULL, which never collides. `session_erasures` is the audit trail of
 * DELETE /api/admin/sessions/:sessionHash, and an index on interactions.session_hash makes that erasure cheap.
 */
export function feedbackTrustMigration(types: SchemaTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("feedback_events").addColumn("dedupe_key", "text").execute();
      await db.schema
        .createIndex("feedback_events_dedupe")
        .on("feedback_events")
        .columns(["interaction_id", "dedupe_key"])
        .unique()
        .execute();
      await db.schema.createIndex("interactions_session").on("interactions").column("session_hash").execute();
      await db.schema
        .createTable("session_erasures")
        .addColumn("id", types.serialId.type, types.serialId.build)
        .addColumn("session_hash", "text", (c) => c.notNull())
        .addColumn("interactions", "bigint", (c) => c.notNull())
        .addColumn("feedback_events", "bigint", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("erased_at", "bigint", (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("session_erasures").ifExists().execute();
      await db.schema.dropIndex("interactions_session").ifExists().execute();
      await db.schema.dropIndex("feedback_events_dedupe").ifExists().execute();
      await db.schema.alterTable("feedback_events").dropColumn("dedupe_key").execute();
    },
  };
}
