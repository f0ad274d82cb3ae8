import { createHash } from "node:crypto";
import { sql, type Expression, type Kysely, type SqlBool } from "kysely";
import { AppError } from "../errors.js";
import type { Database } from "./database-schema.js";
import type { OpenedDatabase } from "./opened-database.js";

/** Tables as plain rows: the copy moves every column as it is, whatever the table. */
type AnyTables = Record<string, Record<string, unknown>>;

interface TablePlan {
  table: keyof Database & string;
  /** Read order: primary key, or parents before children. */
  orderBy: string[];
  /** Self-references, written in a second pass once every row exists. */
  selfReference?: { column: string; key: string };
  /** Generated ids whose PostgreSQL sequence must continue after the copied ones. */
  identity?: string;
}

/** Parents before children (foreign keys hold at every step). */
const plans: TablePlan[] = [
  {
    table: "prompt_versions",
    orderBy: ["created_at", "id"],
    selfReference: { column: "parent_id", key: "id" },
  },
  { table: "prompt_labels", orderBy: ["task", "label"] },
  { table: "prompt_label_moves", orderBy: ["id"], identity: "id" },
  { table: "interactions", orderBy: ["created_at", "id"], selfReference: { column: "parent_id", key: "id" } },
  { table: "feedback_events", orderBy: ["id"], identity: "id" },
  { table: "meta", orderBy: ["key"] },
  { table: "experiments", orderBy: ["started_at", "id"] },
  { table: "rollout_decisions", orderBy: ["id"], identity: "id" },
  { table: "analysis_runs", orderBy: ["id"], identity: "id" },
  { table: "retained_totals", orderBy: ["day", "task", "prompt_version_id", "measure"] },
  { table: "regression_sets", orderBy: ["id"] },
  { table: "regression_set_items", orderBy: ["set_id", "interaction_id"] },
  { table: "regression_set_changes", orderBy: ["id"], identity: "id" },
  // Signed-out console sessions stay signed out on the new database.
  { table: "revoked_sessions", orderBy: ["id"] },
  // The audit trail of erased sessions, and what the chat remembers about its users (with their on/off switches).
  { table: "session_erasures", orderBy: ["id"], identity: "id" },
  { table: "memory_switches", orderBy: ["owner_hash"] },
  { table: "memory_entries", orderBy: ["id"] },
];

/** Tables that are not copied, and why: each is rebuilt by the running service within a minute. */
export const tablesNotCopied: Readonly<Record<string, string>> = {
  job_leases: "a lease on a scheduled tick: transient, claimed afresh by the next tick",
  rate_limit_counters: "a minute's request counts (PostgreSQL only): transient",
};

/** Every table migrate-data copies, in copy order. */
export const copiedTables: readonly string[] = plans.map((plan) => plan.table);

const pageSize = 500;

/** One table's row count and SHA-256 over its rows in key order (columns sorted, values as JSON). */
export interface TableChecksum {
  table: string;
  rows: number;
  sha256: string;
}

/**
 * A table's rows in key order, a page at a time. Keyset paging: each page starts after the last page's key, so a
 * page costs the same at the end of a large table as at its start (an OFFSET walks every earlier row again).
 */
async function* pages(db: Kysely<AnyTables>, plan: TablePlan): AsyncGenerator<Record<string, unknown>[]> {
  let after: unknown[] | null = null;
  for (;;) {
    let query = db.selectFrom(plan.table).selectAll();
    if (after !== null) query = query.where(afterKey(plan.orderBy, after));
    for (const column of plan.orderBy) query = query.orderBy(column);
    const rows = await query.limit(pageSize).execute();
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = plan.orderBy.map((column) => last[column]);
  }
}

/** `(a, b, …) > (x, y, …)` spelled out, which both dialects answer from the key's index. */
function afterKey(columns: readonly string[], values: readonly unknown[]): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.join(columns.map((column) => sql.ref(column)))}) > (${sql.join(values.map((value) => sql.val(value)))})`;
}

/** Values as both dialects agree on them: int8 and floats as numbers, JSON text as text. */
function canonicalRow(row: Record<string, unknown>): string {
  const keys = Object.keys(row).sort();
  return JSON.stringify(keys.map((key) => [key, typeof row[key] === "bigint" ? Number(row[key]) : row[key]]));
}

export async function checksumTables(database: OpenedDatabase): Promise<TableChecksum[]> {
  const db = database.db as unknown as Kysely<AnyTables>;
  const sums: TableChecksum[] = [];
  for (const plan of plans) {
    const hash = createHash("sha256");
    let rows = 0;
    for await (const page of pages(db, plan)) {
      for (const row of page) hash.update(`${canonicalRow(row)}\n`);
      rows += page.length;
    }
    sums.push({ table: plan.table, rows, sha256: hash.digest("hex") });
  }
  return sums;
}

/**
 * Copies every table of `from` into `to`, which must be migrated and empty. Rows keep their ids; on PostgreSQL the
 * identity sequences continue after the copied ids. Each page is one transaction on the target.
 */
export async function copyDatabase(
  from: OpenedDatabase,
  to: OpenedDatabase,
  onTable?: (table: string, rows: number) => void,
): Promise<void> {
  const source = from.db as unknown as Kysely<AnyTables>;
  const target = to.db as unknown as Kysely<AnyTables>;
  for (const plan of plans) {
    const existing = await target
      .selectFrom(plan.table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    if (Number(existing.n) > 0) {
      throw new AppError(
        "CONFLICT",
        `The target already has rows in ${plan.table}: migrate into an empty database`,
      );
    }
  }
  for (const plan of plans) {
    let copied = 0;
    const links: { key: unknown; parent: unknown }[] = [];
    for await (const page of pages(source, plan)) {
      const rows = page.map((row) => {
        if (!plan.selfReference || row[plan.selfReference.column] === null) return row;
        links.push({ key: row[plan.selfReference.key], parent: row[plan.selfReference.column] });
        return { ...row, [plan.selfReference.column]: null };
      });
      await target.transaction().execute((trx) => trx.insertInto(plan.table).values(rows).execute());
      copied += rows.length;
      onTable?.(plan.table, copied);
    }
    if (plan.selfReference) {
      const { column, key } = plan.selfReference;
      for (const link of links) {
        await target
          .updateTable(plan.table)
          .set({ [column]: link.parent })
          .where(key, "=", link.key)
          .execute();
      }
    }
    if (plan.identity && to.dialect === "postgres") {
      await sql`select setval(pg_get_serial_sequence(${plan.table}, ${plan.identity}), coalesce((select max(${sql.ref(plan.identity)}) from ${sql.table(plan.table)}), 0) + 1, false)`.execute(
        to.db,
      );
    }
  }
}
