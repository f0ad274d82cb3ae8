import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Kysely } from "kysely";
import type { Database } from "../storage/database-schema.js";

const saltKey = "identity-salt";

/**
 * The salt for replicas that share one PostgreSQL database: kept in the database's `meta` table, so every replica
 * hashes a session to the same unit (sticky assignment across replicas). The first replica stores it: DATA_DIR's
 * salt file when there is one (an install moved from SQLite keeps its hashes), otherwise a random one. Replicas
 * starting together race on an insert that only the first wins, and all read back the winner.
 */
export async function loadOrCreateSharedSalt(
  db: Kysely<Database>,
  dataDir: string,
  now: number,
): Promise<Buffer> {
  const stored = await db.selectFrom("meta").select("value").where("key", "=", saltKey).executeTakeFirst();
  if (stored) return Buffer.from(stored.value, "hex");
  let candidate: Buffer;
  try {
    candidate = fs.readFileSync(path.join(dataDir, "identity-salt"));
    if (candidate.length < 16) candidate = randomBytes(32);
  } catch {
    candidate = randomBytes(32);
  }
  await db
    .insertInto("meta")
    .values({ key: saltKey, value: candidate.toString("hex"), updated_at: now })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const winner = await db
    .selectFrom("meta")
    .select("value")
    .where("key", "=", saltKey)
    .executeTakeFirstOrThrow();
  return Buffer.from(winner.value, "hex");
}
