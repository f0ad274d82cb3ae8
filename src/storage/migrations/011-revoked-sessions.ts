import type { Kysely, Migration } from "kysely";

/**
 * Console sign-out revokes the session on the server: `revoked_sessions` lists the signed-out sessions until they
 * would have expired, so a copy of the cookie stops working on every replica.
 */
export function revokedSessionsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("revoked_sessions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .addColumn("revoked_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("revoked_sessions_expires_at")
        .on("revoked_sessions")
        .column("expires_at")
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("revoked_sessions").ifExists().execute();
    },
  };
}
