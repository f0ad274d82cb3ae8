import type { Kysely } from "kysely";
import type { Database } from "../../storage/database-schema.js";
import type {
  FeedbackAppendOutcome,
  FeedbackAppendRules,
  NewFeedbackEvent,
  SessionErasure,
} from "./interaction-store.js";

/** appendFeedbackOnce on SQLite or PostgreSQL: one transaction, so a replay or a cap is decided on a stable view. */
export async function appendFeedbackOnceSql(
  db: Kysely<Database>,
  event: NewFeedbackEvent,
  rules: FeedbackAppendRules,
): Promise<FeedbackAppendOutcome> {
  const attempt = () =>
    db.transaction().execute(async (trx): Promise<FeedbackAppendOutcome> => {
      const existing = await trx
        .selectFrom("feedback_events")
        .select("id")
        .where("interaction_id", "=", event.interactionId)
        .where("dedupe_key", "=", rules.dedupeKey)
        .executeTakeFirst();
      if (existing) return { outcome: "duplicate", id: existing.id };
      const { n } = await trx
        .selectFrom("feedback_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("interaction_id", "=", event.interactionId)
        .where("type", "=", event.type)
        .executeTakeFirstOrThrow();
      if (Number(n) >= rules.maxOfType) return { outcome: "capped", id: null };
      const row = await trx
        .insertInto("feedback_events")
        .values({
          interaction_id: event.interactionId,
          type: event.type,
          payload: JSON.stringify(event.payload),
          session_hash: event.sessionHash,
          created_at: event.createdAt,
          dedupe_key: rules.dedupeKey,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { outcome: "stored", id: row.id };
    });
  try {
    return await attempt();
  } catch (error) {
    // Two copies racing on PostgreSQL: the unique index lets one in; the other is the replay it is.
    const stored = await db
      .selectFrom("feedback_events")
      .select("id")
      .where("interaction_id", "=", event.interactionId)
      .where("dedupe_key", "=", rules.dedupeKey)
      .executeTakeFirst()
      .catch(() => undefined);
    if (stored) return { outcome: "duplicate", id: stored.id };
    throw error;
  }
}

/** eraseSession on SQLite or PostgreSQL, in one transaction with its audit record. */
export async function eraseSessionSql(
  db: Kysely<Database>,
  sessionHash: string,
  context: { actor: string; at: number },
): Promise<SessionErasure> {
  return db.transaction().execute(async (trx) => {
    const ofSession = trx.selectFrom("interactions").select("id").where("session_hash", "=", sessionHash);
    const events = await trx
      .deleteFrom("feedback_events")
      .where((eb) => eb.or([eb("session_hash", "=", sessionHash), eb("interaction_id", "in", ofSession)]))
      .executeTakeFirst();
    await trx
      .updateTable("interactions")
      .set({ parent_id: null })
      .where("parent_id", "in", ofSession)
      .where((eb) => eb.or([eb("session_hash", "is", null), eb("session_hash", "!=", sessionHash)]))
      .execute();
    // Children first: an interaction of the session may be the parent of another one of it.
    await trx
      .updateTable("interactions")
      .set({ parent_id: null })
      .where("session_hash", "=", sessionHash)
      .execute();
    const interactions = await trx
      .deleteFrom("interactions")
      .where("session_hash", "=", sessionHash)
      .executeTakeFirst();
    const erasure: SessionErasure = {
      sessionHash,
      interactions: Number(interactions.numDeletedRows),
      feedbackEvents: Number(events.numDeletedRows),
      actor: context.actor,
      erasedAt: context.at,
    };
    await trx
      .insertInto("session_erasures")
      .values({
        session_hash: sessionHash,
        interactions: erasure.interactions,
        feedback_events: erasure.feedbackEvents,
        actor: erasure.actor,
        erased_at: erasure.erasedAt,
      })
      .execute();
    return erasure;
  });
}

export async function listErasuresSql(db: Kysely<Database>, limit: number): Promise<SessionErasure[]> {
  const rows = await db
    .selectFrom("session_erasures")
    .selectAll()
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    sessionHash: row.session_hash,
    interactions: Number(row.interactions),
    feedbackEvents: Number(row.feedback_events),
    actor: row.actor,
    erasedAt: Number(row.erased_at),
  }));
}
