import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely } from "kysely";
import { AppError } from "../../errors.js";
import type { Database } from "../database-schema.js";
import { defaultMinFreeBytes, type OpenDatabaseOptions, type OpenedDatabase } from "../opened-database.js";
import { runMigrations } from "../run-migrations.js";
import { createStorageErrorLog } from "../storage-error-log.js";
import { createStorageMonitor } from "../storage-monitor.js";
import { makeOwnerOnlyDir, makeOwnerOnlyFile, sqliteSidecars } from "../owner-only-files.js";
import { ImmediateSqliteDialect } from "./immediate-sqlite-dialect.js";

export type { OpenedDatabase } from "../opened-database.js";

/** The database file inside DATA_DIR. */
export const databaseFileName = "promptloop.sqlite";

/** `PRAGMA quick_check`'s answer: ["ok"], or up to `limit` problems. */
export function quickCheck(sqlite: SQLite.Database, limit = 10): string[] {
  return (sqlite.pragma(`quick_check(${limit})`) as { quick_check: string }[]).map((row) => row.quick_check);
}

const recoveryHint = "Run `promptloop doctor` for details, and `promptloop restore <backup>` to recover.";

/** SQLite's codes for a file that is not (or no longer) a sound database. */
function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    code === "SQLITE_CORRUPT" || code === "SQLITE_NOTADB" || /malformed|not a database/i.test(String(error))
  );
}

function damaged(file: string, detail: string, cause?: unknown): AppError {
  return new AppError("STORAGE_FAILED", `The database at ${file} is damaged (${detail}). ${recoveryHint}`, {
    cause,
  });
}

function openConnection(file: string): SQLite.Database {
  try {
    const sqlite = new SQLite(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = FULL");
    sqlite.pragma("foreign_keys = ON");
    // Deleted rows are overwritten with zeros, not left in free pages: an erased session or memory entry is gone.
    sqlite.pragma("secure_delete = ON");
    sqlite.pragma("busy_timeout = 5000");
    return sqlite;
  } catch (error) {
    if (isDamage(error)) throw damaged(file, (error as Error).message, error);
    throw new AppError("STORAGE_FAILED", `Cannot open the database at ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Opens (creating if needed) the SQLite database in WAL mode, checks it (`PRAGMA quick_check`: a damaged file stops
 * the start with a message instead of serving errors later) and runs pending migrations.
 * `synchronous = FULL` makes every acknowledged write survive power loss, not only a process crash:
 * feedback that was answered with 202 must never be lost.
 */
export async function openSqliteDatabase(
  file: string,
  options: OpenDatabaseOptions = {},
): Promise<OpenedDatabase> {
  if (file !== ":memory:" && options.mustExist && !fs.existsSync(file)) {
    throw new AppError(
      "DATABASE_NOT_FOUND",
      `No promptloop database at ${file}. Check DATA_DIR (or --data-dir), or create one with \`promptloop init\`.`,
    );
  }
  if (file !== ":memory:") {
    makeOwnerOnlyDir(path.dirname(file));
    makeOwnerOnlyFile(file, sqliteSidecars);
  }
  const sqlite = openConnection(file);
  let problems: string[];
  try {
    problems = quickCheck(sqlite);
  } catch (error) {
    sqlite.close();
    throw damaged(file, (error as Error).message, error);
  }
  if (problems.join() !== "ok") {
    sqlite.close();
    throw damaged(file, problems.slice(0, 3).join("; "));
  }
  const errors = createStorageErrorLog(options.now);
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: sqlite }),
    log: (event) => errors.observe(event),
  });
  try {
    await runMigrations(db, "sqlite");
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const monitor = createStorageMonitor({
    dialect: "sqlite",
    location: file,
    db,
    errors,
    freeSpacePath: file === ":memory:" ? null : path.dirname(file),
    minFreeBytes: options.minFreeBytes ?? defaultMinFreeBytes,
    ...(options.now && { now: options.now }),
  });
  return {
    dialect: "sqlite",
    db,
    location: file,
    sqlite,
    postgresPool: null,
    monitor,
    close: () => db.destroy(),
  };
}
