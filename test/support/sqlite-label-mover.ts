/**
 * A second process writing to the same SQLite file: moves a label back and forth `MOVES` times, each move a
 * read-then-write transaction through promptloop's BEGIN IMMEDIATE dialect, and prints
 * `{"moved": n, "errors": [codes]}`.
 */
import { createSqlPromptStore } from "../../src/prompts/store/sql-prompt-store.js";
import { openSqliteDatabase } from "../../src/storage/sqlite/open-sqlite-database.js";

const file = process.env.DB_FILE ?? "";
const moves = Number(process.env.MOVES ?? "200");
const { db } = await openSqliteDatabase(file);
const store = createSqlPromptStore(db);
const errors: string[] = [];
let moved = 0;
for (let i = 0; i < moves; i++) {
  try {
    await store.moveLabels(
      [{ task: "sentiment", label: "canary", toVersionId: i % 2 === 0 ? "sentiment@v1" : "sentiment@v2" }],
      {
        actor: `process-${process.pid}`,
        reason: "race",
        now: Date.now(),
      },
    );
    moved += 1;
  } catch (error) {
    errors.push((error as { code?: string }).code ?? (error as Error).message);
  }
}
process.stdout.write(`${JSON.stringify({ moved, errors })}\n`);
await db.destroy();
