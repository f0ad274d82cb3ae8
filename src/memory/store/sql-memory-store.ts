import type { Kysely, Selectable, Transaction } from "kysely";
import type { Database, MemoryEntriesTable } from "../../storage/database-schema.js";
import type { MemoryEntry, MemoryKey } from "../core/memory-fact.js";
import type { MemoryStore } from "./memory-store.js";

const toEntry = (row: Selectable<MemoryEntriesTable>): MemoryEntry => ({
  id: row.id,
  ownerHash: row.owner_hash,
  key: row.key as MemoryKey,
  subject: row.subject,
  text: row.text,
  sourceInteractionId: row.source_interaction_id,
  createdAt: Number(row.created_at),
  expiresAt: Number(row.expires_at),
  lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  uses: Number(row.uses),
});

/**
 * Personal memory in `memory_entries` / `memory_switches` (migration 008), on SQLite and PostgreSQL alike.
 * `afterErase` runs after every delete: on SQLite it moves the (secure_delete-zeroed) pages from the WAL into the
 * file and empties the WAL, so a deleted entry's text is not left in either file.
 */
export function createSqlMemoryStore(
  db: Kysely<Database>,
  options: { afterErase?: () => void } = {},
): MemoryStore {
  const erased = <T>(result: T): T => {
    options.afterErase?.();
    return result;
  };
  async function trimOwner(trx: Transaction<Database>, ownerHash: string, maxEntries: number) {
    const surplus = await trx
      .selectFrom("memory_entries")
      .select("id")
      .where("owner_hash", "=", ownerHash)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .offset(maxEntries)
      .limit(1_000_000)
      .execute();
    if (surplus.length > 0) {
      await trx
        .deleteFrom("memory_entries")
        .where(
          "id",
          "in",
          surplus.map((row) => row.id),
        )
        .execute();
    }
  }

  return {
    async remember(entry, { maxEntries, newId }) {
      return db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom("memory_entries")
          .where("owner_hash", "=", entry.ownerHash)
          .where("key", "=", entry.key)
          .where("subject", "=", entry.subject)
          .execute();
        const row = await trx
          .insertInto("memory_entries")
          .values({
            id: newId(),
            owner_hash: entry.ownerHash,
            key: entry.key,
            subject: entry.subject,
            text: entry.text,
            source_interaction_id: entry.sourceInteractionId,
            created_at: entry.createdAt,
            expires_at: entry.expiresAt,
            last_used_at: null,
            uses: 0,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await trimOwner(trx, entry.ownerHash, maxEntries);
        return toEntry(row);
      });
    },

    async list(ownerHash, now) {
      const rows = await db
        .selectFrom("memory_entries")
        .selectAll()
        .where("owner_hash", "=", ownerHash)
        .where("expires_at", ">", now)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .execute();
      return rows.map(toEntry);
    },

    async markUsed(ownerHash, ids, now) {
      if (ids.length === 0) return;
      await db
        .updateTable("memory_entries")
        .set((eb) => ({ last_used_at: now, uses: eb("uses", "+", 1) }))
        .where("owner_hash", "=", ownerHash)
        .where("id", "in", [...ids])
        .execute();
    },

    async delete(ownerHash, id) {
      const result = await db
        .deleteFrom("memory_entries")
        .where("owner_hash", "=", ownerHash)
        .where("id", "=", id)
        .executeTakeFirst();
      return erased(Number(result.numDeletedRows) > 0);
    },

    async forget(ownerHash) {
      const result = await db
        .deleteFrom("memory_entries")
        .where("owner_hash", "=", ownerHash)
        .executeTakeFirst();
      return erased(Number(result.numDeletedRows));
    },

    async enabled(ownerHash) {
      const row = await db
        .selectFrom("memory_switches")
        .select("enabled")
        .where("owner_hash", "=", ownerHash)
        .executeTakeFirst();
      return row === undefined ? null : Number(row.enabled) === 1;
    },

    async setEnabled(ownerHash, enabled, now) {
      await db
        .insertInto("memory_switches")
        .values({ owner_hash: ownerHash, enabled: enabled ? 1 : 0, updated_at: now })
        .onConflict((oc) =>
          oc.column("owner_hash").doUpdateSet({ enabled: enabled ? 1 : 0, updated_at: now }),
        )
        .execute();
    },

    async deleteExpired(now) {
      const result = await db.deleteFrom("memory_entries").where("expires_at", "<=", now).executeTakeFirst();
      return erased(Number(result.numDeletedRows));
    },
  };
}
