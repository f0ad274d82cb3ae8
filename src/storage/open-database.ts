import path from "node:path";
import { AppError } from "../errors.js";
import type { OpenDatabaseOptions, OpenedDatabase } from "./opened-database.js";
import { isPostgresUrl } from "./postgres/describe-postgres-url.js";
import { databaseFileName, openSqliteDatabase } from "./sqlite/open-sqlite-database.js";

/** Where the data lives: DATABASE_URL when set, otherwise the SQLite file in DATA_DIR. */
export interface DatabaseTarget {
  /** `postgres://…` selects PostgreSQL; empty keeps SQLite. */
  databaseUrl: string;
  dataDir: string;
}

/** Opens and migrates the configured database: the one place that chooses the dialect. */
export async function openDatabase(
  target: DatabaseTarget,
  options: OpenDatabaseOptions = {},
): Promise<OpenedDatabase> {
  if (target.databaseUrl === "")
    return openSqliteDatabase(path.join(target.dataDir, databaseFileName), options);
  if (!isPostgresUrl(target.databaseUrl)) {
    throw new AppError("CONFIG_INVALID", "DATABASE_URL must start with postgres:// or postgresql://");
  }
  // Loaded on demand: a SQLite install never loads pg.
  const { openPostgresDatabase } = await import("./postgres/open-postgres-database.js");
  return openPostgresDatabase(target.databaseUrl, options);
}
