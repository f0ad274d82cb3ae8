import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from "kysely";

/**
 * Every transaction starts with `BEGIN IMMEDIATE`, taking the write lock up front. A deferred transaction that reads
 * and then writes gets SQLITE_BUSY_SNAPSHOT when another process wrote in between, and that error skips the busy
 * timeout: two processes on one DATA_DIR then failed with "database is locked" instead of waiting their turn.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
