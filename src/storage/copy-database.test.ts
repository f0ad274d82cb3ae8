import { afterEach, describe, expect, it } from "vitest";
import { checksumTables, copiedTables, copyDatabase, tablesNotCopied } from "./copy-database.js";
import type { OpenedDatabase } from "./opened-database.js";
import { openSqliteDatabase } from "./sqlite/open-sqlite-database.js";

const opened: OpenedDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
});

async function freshDatabase(): Promise<OpenedDatabase> {
  const database = await openSqliteDatabase(":memory:");
  opened.push(database);
  return database;
}

describe("copyDatabase (migrate-data)", () => {
  it("copies every table the migrations create, or says why a table is left behind", async () => {
    const database = await freshDatabase();
    const tables = (await database.db.introspection.getTables())
      .map((table) => table.name)
      .filter((name) => !name.startsWith("kysely_"));
    const uncovered = tables.filter(
      (name) => !copiedTables.includes(name) && !Object.hasOwn(tablesNotCopied, name),
    );
    expect(uncovered).toEqual([]);
    // Every planned table exists (a renamed table would otherwise fail only at copy time).
    expect(copiedTables.filter((name) => !tables.includes(name))).toEqual([]);
  });

  it("carries what the chat remembers, its switches and the erasure trail, with matching checksums", async () => {
    const source = await freshDatabase();
    await source.db
      .insertInto("memory_switches")
      .values({ owner_hash: "owner-a", enabled: 0, updated_at: 1 })
      .execute();
    await source.db
      .insertInto("memory_entries")
      .values({
        id: "m1",
        owner_hash: "owner-b",
        key: "name",
        subject: "user",
        text: "用户希望被称为小王",
        source_interaction_id: null,
        created_at: 2,
        expires_at: 3,
        last_used_at: null,
        uses: 4,
      })
      .execute();
    await source.db
      .insertInto("session_erasures")
      .values({ session_hash: "gone", interactions: 5, feedback_events: 6, actor: "user", erased_at: 7 })
      .execute();
    const target = await freshDatabase();
    await copyDatabase(source, target);
    const rows = async (database: OpenedDatabase) =>
      Object.fromEntries((await checksumTables(database)).map((sum) => [sum.table, sum]));
    const [from, to] = await Promise.all([rows(source), rows(target)]);
    expect(to).toEqual(from);
    expect(to.memory_entries!.rows).toBe(1);
    expect(to.memory_switches!.rows).toBe(1);
    expect(to.session_erasures!.rows).toBe(1);
  });

  it("pages through a table larger than a page, keeping every row once and in key order", async () => {
    const source = await freshDatabase();
    const owners = Array.from({ length: 1_234 }, (_, i) => `owner-${String(i).padStart(4, "0")}`);
    await source.db
      .insertInto("memory_switches")
      .values(owners.map((owner_hash, i) => ({ owner_hash, enabled: i % 2, updated_at: i })))
      .execute();
    const target = await freshDatabase();
    await copyDatabase(source, target);
    const copied = await target.db
      .selectFrom("memory_switches")
      .select("owner_hash")
      .orderBy("owner_hash")
      .execute();
    expect(copied.map((row) => row.owner_hash)).toEqual(owners);
  });
});
