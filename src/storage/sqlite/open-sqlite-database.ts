import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, type MigrationProvider } from "kysely";
import { AppError } from "../../errors.js";
import type { Database } from "../database-schema.js";
import { migrations } from "../migrations/index.js";

export interface OpenedDatabase {
  db: Kysely<Database>;
  /** The underlying connection, for the few SQLite-specific operations (backup, checkpoint). */
  sqlite: SQLite.Database;
  close(): Promise<void>;
}

/** The database file inside DATA_DIR. */
export const databaseFileName = "promptloop.sqlite";

const staticMigrations: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Opens (creating if needed) the SQLite database in WAL mode and runs pending migrations.
 * `synchronous = FULL` makes every acknowledged write survive power loss, not only a process crash:
 * feedback that was answered with 202 must never be lost.
 */
export async function openSqliteDatabase(file: string): Promise<OpenedDatabase> {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = FULL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
  } catch (error) {
    throw new AppError("STORAGE_FAILED", `Cannot open the database at ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error, results } = await new Migrator({ db, provider: staticMigrations }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new AppError("STORAGE_FAILED", `Database migration ${failed} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return { db, sqlite, close: () => db.destroy() };
}
