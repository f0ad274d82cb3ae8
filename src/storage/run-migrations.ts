import { Migrator, type Kysely, type MigrationProvider } from "kysely";
import { AppError } from "../errors.js";
import type { DatabaseDialect } from "./database-dialect.js";
import type { Database } from "./database-schema.js";
import { migrationsFor } from "./migrations/index.js";

/**
 * Brings the schema to the latest migration. Kysely's migrator takes a lock first (a PostgreSQL advisory lock, a
 * table lock on SQLite), so replicas starting together migrate once.
 */
export async function runMigrations(db: Kysely<Database>, dialect: DatabaseDialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(dialect) };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new AppError("STORAGE_FAILED", `Database migration ${failed} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
