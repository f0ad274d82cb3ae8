import type { Kysely } from "kysely";
import type { DatabaseDialect } from "../../storage/database-dialect.js";
import type { Database } from "../../storage/database-schema.js";
import type { StorageMonitor } from "../../storage/storage-monitor.js";
import type {
  InteractionQuery,
  InteractionStore,
  InteractionWithFeedback,
  NewFeedbackEvent,
} from "./interaction-store.js";
import { appendFeedbackOnceSql, eraseSessionSql, listErasuresSql } from "./sql-feedback-guards.js";
import { streamByCursor } from "./stream-by-cursor.js";
import { streamByPages } from "./stream-by-pages.js";
import { toFeedbackEvent, toInteraction } from "./stored-rows.js";

/**
 * The InteractionStore on SQLite or PostgreSQL. `storage` is the database's monitor (OpenedDatabase.monitor), which
 * answers whether a write could succeed now. `dialect` chooses how the analysis' history is streamed: a cursor on
 * PostgreSQL, keyset pages on SQLite.
 */
export function createSqlInteractionStore(
  db: Kysely<Database>,
  storage: Pick<StorageMonitor, "assertCanRecord">,
  dialect: DatabaseDialect,
): InteractionStore {
  return {
    assertCanRecord: () => storage.assertCanRecord(),

    async record(i) {
      await db
        .insertInto("interactions")
        .values({
          id: i.id,
          task: i.task,
          prompt_version_id: i.promptVersionId,
          parent_id: i.parentId,
          session_hash: i.sessionHash,
          user_hash: i.userHash,
          input: i.input,
          output: i.output,
          label: i.label,
          confidence: i.confidence,
          latency_ms: i.latencyMs,
          status: i.status,
          error_code: i.errorCode,
          experiment_id: i.experimentId,
          arm: i.arm,
          created_at: i.createdAt,
          completed_at: i.completedAt,
        })
        .execute();
    },

    async get(id) {
      const row = await db.selectFrom("interactions").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toInteraction(row);
    },

    async appendFeedback(event: NewFeedbackEvent) {
      const row = await db
        .insertInto("feedback_events")
        .values({
          interaction_id: event.interactionId,
          type: event.type,
          payload: JSON.stringify(event.payload),
          session_hash: event.sessionHash,
          created_at: event.createdAt,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    },

    appendFeedbackOnce: (event, rules) => appendFeedbackOnceSql(db, event, rules),
    eraseSession: (sessionHash, context) => eraseSessionSql(db, sessionHash, context),
    listErasures: (limit) => listErasuresSql(db, limit),

    async feedbackFor(interactionId) {
      const rows = await db
        .selectFrom("feedback_events")
        .selectAll()
        .where("interaction_id", "=", interactionId)
        .orderBy("id")
        .execute();
      return rows.map(toFeedbackEvent);
    },

    streamWithFeedback: (query: InteractionQuery = {}): AsyncIterable<InteractionWithFeedback> =>
      dialect === "postgres" ? streamByCursor(db, query) : streamByPages(db, query),

    async counts() {
      const [interactions, feedback] = await Promise.all([
        db
          .selectFrom("interactions")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow(),
        db
          .selectFrom("feedback_events")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow(),
      ]);
      return { interactions: Number(interactions.n), feedbackEvents: Number(feedback.n) };
    },
  };
}
