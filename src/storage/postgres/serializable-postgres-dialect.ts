import {
  CompiledQuery,
  PostgresDialect,
  PostgresDriver,
  type DatabaseConnection,
  type Driver,
  type PostgresDialectConfig,
  type TransactionSettings,
} from "kysely";

/**
 * Transactions run SERIALIZABLE unless they ask otherwise, so a store's read-check-write (a label still points where
 * the plan expected, no analysis run holds the lock) means on PostgreSQL what it means on SQLite, where one writer
 * at a time makes every transaction serializable. A transaction that loses a race fails with 40001 (409 CONFLICT).
 */
class SerializablePostgresDriver extends PostgresDriver {
  override async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    const isolation = settings.isolationLevel ?? "serializable";
    const access = settings.accessMode ? ` ${settings.accessMode}` : "";
    await connection.executeQuery(
      CompiledQuery.raw(`start transaction isolation level ${isolation}${access}`),
    );
  }
}

export class SerializablePostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;

  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new SerializablePostgresDriver(this.#config);
  }
}
