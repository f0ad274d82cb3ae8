/** The two databases promptloop runs on: SQLite in DATA_DIR (the default) or PostgreSQL through DATABASE_URL. */
export type DatabaseDialect = "sqlite" | "postgres";
