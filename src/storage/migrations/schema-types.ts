import type { ColumnDefinitionBuilder } from "kysely";
import type { DatabaseDialect } from "../database-dialect.js";

/** Where the two dialects need different column types for the same meaning; everything else is spelled once. */
export interface SchemaTypes {
  /**
   * A generated, monotonic integer key (feedback event ids are the analysis watermark). SQLite's `integer primary
   * key autoincrement` never reuses an id; PostgreSQL's identity column is its standard equivalent, `bigint` so the
   * feedback table can't run out.
   */
  serialId: {
    type: "integer" | "bigint";
    build: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  };
  /**
   * An 8-byte float (confidences, latencies). SQLite's REAL is already 8 bytes; PostgreSQL's `real` is 4 bytes,
   * which would round confidences, so it gets `double precision`.
   */
  double: "real" | "double precision";
}

export function schemaTypesFor(dialect: DatabaseDialect): SchemaTypes {
  return dialect === "sqlite"
    ? { serialId: { type: "integer", build: (c) => c.primaryKey().autoIncrement() }, double: "real" }
    : {
        serialId: { type: "bigint", build: (c) => c.primaryKey().generatedByDefaultAsIdentity() },
        double: "double precision",
      };
}
