import { sql, type Kysely } from "kysely";
import { afterAll, describe, inject, it } from "vitest";
import type { Database } from "../../../src/storage/database-schema.js";
import type { OpenedDatabase } from "../../../src/storage/opened-database.js";
import { openPostgresDatabase } from "../../../src/storage/postgres/open-postgres-database.js";
import { createPostgresTestDatabase } from "./postgres-test-database.js";

/** Empties every table of the app (not the migrations'), restarting the generated ids. */
export async function truncateAllTables(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ tablename: string }>`
    select tablename from pg_tables where schemaname = current_schema() and tablename not like 'kysely_%'`.execute(
    db,
  );
  if (rows.length === 0) return;
  await sql`truncate table ${sql.join(rows.map((r) => sql.id(r.tablename)))} restart identity cascade`.execute(
    db,
  );
}

/**
 * Registers PostgreSQL suites: `register` gets `open`, which returns one migrated database per test file, emptied
 * before each use (a fresh database per test would cost a second each). Without PostgreSQL, a skipped suite carries
 * the reason in its name.
 */
export function onPostgres(register: (open: () => Promise<OpenedDatabase>) => void): void {
  const url = inject("postgresUrl");
  if (url === null) {
    describe.skip(`postgres [skipped: ${inject("postgresSkipReason")}]`, () => {
      it("runs this file's suites on PostgreSQL", () => {});
    });
    return;
  }
  let opened: Promise<{ database: OpenedDatabase; drop: () => Promise<void> }> | undefined;
  afterAll(async () => {
    if (!opened) return;
    const { database, drop } = await opened;
    await database.close();
    await drop();
  });
  register(async () => {
    opened ??= (async () => {
      const target = await createPostgresTestDatabase();
      return { database: await openPostgresDatabase(target.url), drop: target.drop };
    })();
    const { database } = await opened;
    await truncateAllTables(database.db);
    return database;
  });
}
