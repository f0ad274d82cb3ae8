import { Kysely, sql } from "kysely";
import pg from "pg";
import Cursor from "pg-cursor";
import { AppError } from "../../errors.js";
import type { Database } from "../database-schema.js";
import { type OpenDatabaseOptions, type OpenedDatabase, defaultMinFreeBytes } from "../opened-database.js";
import { runMigrations } from "../run-migrations.js";
import { createStorageErrorLog } from "../storage-error-log.js";
import { createStorageMonitor } from "../storage-monitor.js";
import { describePostgresUrl, withoutPassword } from "./describe-postgres-url.js";
import { NulFreeTextPlugin } from "./nul-free-text-plugin.js";
import { SerializablePostgresDialect } from "./serializable-postgres-dialect.js";

/** How long one connection attempt may take; a wrong host fails the start within about twice this. */
const connectTimeoutMs = 4000;
const poolSize = 10;

/**
 * Timestamps and generated ids are `bigint` columns; pg hands int8 back as strings. Epoch milliseconds and ids stay
 * far below 2^53, so they are read as numbers (and an impossible larger one fails loudly instead of rounding).
 */
function parseInt8(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed))
    throw new Error(`int8 value ${value} is beyond JavaScript's safe integers`);
  return parsed;
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8
      ? parseInt8
      : pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
};

/** Whether promptloop's migrations ever ran here (Kysely's bookkeeping table exists in the search path). */
async function hasMigrationTable(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{
    found: string | null;
  }>`select to_regclass('kysely_migration')::text as found`.execute(db);
  return rows[0]?.found !== null && rows[0]?.found !== undefined;
}

/**
 * Connects to PostgreSQL (DATABASE_URL), checks the connection within a deadline, and runs pending migrations. Reads
 * that stream (the analysis) use a server-side cursor through pg-cursor. The pool drops connections that a
 * restarting server closed and opens new ones on the next query: requests fail with 503 meanwhile, then recover.
 */
export async function openPostgresDatabase(
  url: string,
  options: OpenDatabaseOptions = {},
): Promise<OpenedDatabase> {
  const location = describePostgresUrl(url);
  const errors = createStorageErrorLog(options.now);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: "promptloop",
    types,
  });
  // An idle pooled connection that the server closes emits here; unhandled, it would end the process.
  pool.on("error", (error) => errors.note(error));
  // A connection the server ends while it is checked out (mid-query, during a restart) emits on the client too.
  pool.on("connect", (client) => client.on("error", (error) => errors.note(error)));
  const db = new Kysely<Database>({
    dialect: new SerializablePostgresDialect({ pool, cursor: Cursor }),
    plugins: [new NulFreeTextPlugin()],
    log: (event) => errors.observe(event),
  });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    const reason = withoutPassword(
      (error as Error).message || String((error as { code?: string }).code),
      url,
    );
    throw new AppError("STORAGE_FAILED", `Cannot connect to PostgreSQL at ${location}: ${reason}`);
  }
  if (options.mustExist && !(await hasMigrationTable(db))) {
    await db.destroy().catch(() => {});
    throw new AppError(
      "DATABASE_NOT_FOUND",
      `The PostgreSQL database ${location} has no promptloop schema. Check DATABASE_URL, or create the schema ` +
        "with `promptloop init`.",
    );
  }
  try {
    await runMigrations(db, "postgres");
  } catch (error) {
    await db.destroy().catch(() => {});
    throw new AppError("STORAGE_FAILED", withoutPassword((error as Error).message, url));
  }
  const monitor = createStorageMonitor({
    dialect: "postgres",
    location,
    db,
    errors,
    freeSpacePath: null,
    minFreeBytes: options.minFreeBytes ?? defaultMinFreeBytes,
    ...(options.now && { now: options.now }),
  });
  return {
    dialect: "postgres",
    db,
    location,
    sqlite: null,
    postgresPool: pool,
    monitor,
    close: () => db.destroy(),
  };
}
