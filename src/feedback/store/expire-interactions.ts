import type { Kysely } from "kysely";
import type { Database } from "../../storage/database-schema.js";

/** What one retention pass deleted. */
export interface ExpiryResult {
  interactions: number;
  feedbackEvents: number;
}

const batchSize = 500;

/**
 * Deletes interactions created before `cutoff` with their feedback, in small transactions so writers never wait
 * long. Interactions of an open (running or halted) experiment stay: its statistics are computed from them. Before a
 * batch goes, its counts are added to `retained_totals`, so totals per day, task and version outlive the raw rows
 * (analysis reports are files and outlive them too). A newer reply that pointed at an expired parent keeps itself,
 * without the link.
 */
export async function expireInteractions(db: Kysely<Database>, cutoff: number): Promise<ExpiryResult> {
  const result: ExpiryResult = { interactions: 0, feedbackEvents: 0 };
  for (;;) {
    const batch = await db
      .selectFrom("interactions")
      .select(["id", "task", "prompt_version_id", "status", "created_at"])
      .where("created_at", "<", cutoff)
      .where((eb) =>
        eb.or([
          eb("experiment_id", "is", null),
          eb(
            "experiment_id",
            "not in",
            eb.selectFrom("experiments").select("id").where("status", "in", ["running", "halted"]),
          ),
        ]),
      )
      .orderBy("created_at")
      .limit(batchSize)
      .execute();
    if (batch.length === 0) return result;
    const ids = batch.map((row) => row.id);
    await db.transaction().execute(async (trx) => {
      const feedback = await trx
        .selectFrom("feedback_events")
        .select(["interaction_id", "type", (eb) => eb.fn.countAll<number>().as("n")])
        .where("interaction_id", "in", ids)
        .groupBy(["interaction_id", "type"])
        .execute();
      const totals = new Map<
        string,
        { day: string; task: string; version: string; measure: string; count: number }
      >();
      const add = (row: (typeof batch)[number], measure: string, count: number) => {
        const day = new Date(Number(row.created_at)).toISOString().slice(0, 10);
        const key = `${day}\u0000${row.task}\u0000${row.prompt_version_id}\u0000${measure}`;
        const entry = totals.get(key) ?? {
          day,
          task: row.task,
          version: row.prompt_version_id,
          measure,
          count: 0,
        };
        entry.count += count;
        totals.set(key, entry);
      };
      const byId = new Map(batch.map((row) => [row.id, row]));
      for (const row of batch) {
        add(row, "interactions", 1);
        add(row, `status:${row.status}`, 1);
      }
      for (const event of feedback)
        add(byId.get(event.interaction_id)!, `feedback:${event.type}`, Number(event.n));
      for (const total of totals.values()) {
        await trx
          .insertInto("retained_totals")
          .values({
            day: total.day,
            task: total.task,
            prompt_version_id: total.version,
            measure: total.measure,
            count: total.count,
          })
          .onConflict((oc) =>
            oc
              .columns(["day", "task", "prompt_version_id", "measure"])
              .doUpdateSet((eb) => ({ count: eb("retained_totals.count", "+", eb.ref("excluded.count")) })),
          )
          .execute();
      }
      const deletedEvents = await trx
        .deleteFrom("feedback_events")
        .where("interaction_id", "in", ids)
        .executeTakeFirst();
      await trx.updateTable("interactions").set({ parent_id: null }).where("parent_id", "in", ids).execute();
      const deleted = await trx.deleteFrom("interactions").where("id", "in", ids).executeTakeFirst();
      result.feedbackEvents += Number(deletedEvents.numDeletedRows);
      result.interactions += Number(deleted.numDeletedRows);
    });
  }
}
