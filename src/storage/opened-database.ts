import type SQLite from "better-sqlite3";
import type { Kysely } from "kysely";
import type pg from "pg";
import type { DatabaseDialect } from "./database-dialect.js";
import type { Database } from "./database-schema.js";
import type { StorageMonitor } from "./storage-monitor.js";

/** An open, migrated database of either dialect. */
export interface OpenedDatabase {
  dialect: DatabaseDialect;
  db: Kysely<Database>;
  /** Where the data lives, safe to print: the SQLite file, or PostgreSQL's `host:port/database` without password. */
  location: string;
  /** The SQLite connection, for the few SQLite-only operations (backup, pragmas); null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  /** PostgreSQL's connection pool, for the few parts that speak to pg directly (the shared rate limits); null on SQLite. */
  postgresPool: pg.Pool | null;
  monitor: StorageMonitor;
  close(): Promise<void>;
}

/** Options both dialects take when opening. */
export interface OpenDatabaseOptions {
  /** Free space below which storage counts as not writable (SQLite only). Default 64 MiB. */
  minFreeBytes?: number;
  now?: () => number;
  /**
   * Refuse to create a database: a missing SQLite file, or a PostgreSQL database promptloop never set up, is
   * DATABASE_NOT_FOUND instead of a new empty database. Every command but `serve`, `init` and `restore` sets it, so a
   * mistyped DATA_DIR fails loudly.
   */
  mustExist?: boolean;
}

export const defaultMinFreeBytes = 64 * 1024 * 1024;
