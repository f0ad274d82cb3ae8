import type { Kysely } from "kysely";
import type { Database } from "../../storage/database-schema.js";
import type { SessionRevocationStore } from "./session-revocation-store.js";

/**
 * Revocations in the `revoked_sessions` table (migration 011), shared by every replica on the database. Rows of
 * sessions that have expired anyway are deleted at the next sign-out, so the table holds at most the sessions
 * signed out within the last SESSION_TTL_HOURS.
 */
export function createSqlSessionRevocationStore(db: Kysely<Database>): SessionRevocationStore {
  return {
    async revoke({ id, expiresAt, now }) {
      await db.deleteFrom("revoked_sessions").where("expires_at", "<=", now).execute();
      if (expiresAt <= now) return;
      await db
        .insertInto("revoked_sessions")
        .values({ id, expires_at: expiresAt, revoked_at: now })
        .onConflict((oc) => oc.column("id").doNothing())
        .execute();
    },
    async isRevoked(id) {
      const row = await db
        .selectFrom("revoked_sessions")
        .select("id")
        .where("id", "=", id)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
