import { sql, type Kysely, type Migration } from "kysely";
import type { DatabaseDialect } from "../database-dialect.js";

/**
 * The rate limits' counters when replicas share PostgreSQL (src/rate-limits/postgres-rate-limits.ts), in the shape
 * rate-limiter-flexible's RateLimiterPostgres reads and writes: one row per budget and key, `expire` in epoch ms.
 * UNLOGGED: a counter lives a minute or a quarter of an hour and is rewritten on every request, so it skips the WAL
 * (cheaper writes); after a crash PostgreSQL empties it, which forgives a minute's counts and loses nothing else.
 * SQLite means one process, whose limits stay in memory: no table there.
 */
export function rateLimitCountersMigration(dialect: DatabaseDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== "postgres") return;
      await db.schema
        .createTable("rate_limit_counters")
        .modifyFront(sql`unlogged`)
        .addColumn("key", "varchar(255)", (c) => c.primaryKey())
        .addColumn("points", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("expire", "bigint")
        .execute();
    },
    async down(db: Kysely<unknown>) {
      if (dialect !== "postgres") return;
      await db.schema.dropTable("rate_limit_counters").ifExists().execute();
    },
  };
}
