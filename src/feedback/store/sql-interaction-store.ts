import { sql, type Kysely, type Selectable } from "kysely";
import { parseFeedbackBody } from "../feedback-event.js";
import type { Database, FeedbackEventsTable, InteractionsTable } from "../../storage/database-schema.js";
import type { StorageMonitor } from "../../storage/storage-monitor.js";
import type {
  FeedbackEvent,
  Interaction,
  InteractionQuery,
  InteractionStore,
  InteractionWithFeedback,
  NewFeedbackEvent,
} from "./interaction-store.js";

import { appendFeedbackOnceSql, eraseSessionSql, listErasuresSql } from "./sql-feedback-guards.js";

const pageSize = 500;

function toInteraction(row: Selectable<InteractionsTable>): Interaction {
  return {
    id: row.id,
    task: row.task,
    promptVersionId: row.prompt_version_id,
    parentId: row.parent_id,
    sessionHash: row.session_hash,
    userHash: row.user_hash,
    input: row.input,
    output: row.output,
    label: row.label,
    confidence: row.confidence,
    latencyMs: row.latency_ms,
    status: row.status as Interaction["status"],
    errorCode: row.error_code,
    experimentId: row.experiment_id,
    arm: row.arm,
    createdAt: Number(row.created_at),
    completedAt: row.completed_at === null ? null : Number(row.completed_at),
  };
}

function toFeedbackEvent(row: Selectable<FeedbackEventsTable>): FeedbackEvent {
  return {
    id: row.id,
    interactionId: row.interaction_id,
    sessionHash: row.session_hash,
    createdAt: Number(row.created_at),
    ...parseFeedbackBody(row.type, JSON.parse(row.payload)),
  };
}

/**
 * The InteractionStore on SQLite or PostgreSQL. `storage` is the database's monitor (OpenedDatabase.monitor), which
 * answers whether a write could succeed now.
 */
export function createSqlInteractionStore(
  db: Kysely<Database>,
  storage: Pick<StorageMonitor, "assertCanRecord">,
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

    async *streamWithFeedback(query: InteractionQuery = {}): AsyncIterable<InteractionWithFeedback> {
      // Keyset pagination on (created_at, id) keeps each page query cheap and memory bounded.
      let after: { createdAt: number; id: string } | undefined;
      for (;;) {
        let q = db.selectFrom("interactions").selectAll();
        if (query.task !== undefined) q = q.where("task", "=", query.task);
        if (query.promptVersionId !== undefined) q = q.where("prompt_version_id", "=", query.promptVersionId);
        if (query.since !== undefined) q = q.where("created_at", ">=", query.since);
        if (query.until !== undefined) q = q.where("created_at", "<", query.until);
        const types = query.withFeedbackTypes;
        if (types !== undefined) {
          q = q.where((eb) =>
            eb.exists(
              eb
                .selectFrom("feedback_events")
                .select("feedback_events.id")
                .whereRef("feedback_events.interaction_id", "=", "interactions.id")
                .where("feedback_events.type", "in", types.length > 0 ? [...types] : [""]),
            ),
          );
        }
        if (query.inputContains !== undefined) {
          // LIKE with the wildcards escaped; lower() on both sides folds ASCII case alike on SQLite and PostgreSQL.
          const pattern = `%${query.inputContains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          q = q.where(sql<boolean>`lower(${sql.ref("interactions.input")}) like ${pattern} escape '\\'`);
        }
        if (after) {
          const cursor = after;
          q = q.where((eb) =>
            eb.or([
              eb("created_at", ">", cursor.createdAt),
              eb.and([eb("created_at", "=", cursor.createdAt), eb("id", ">", cursor.id)]),
            ]),
          );
        }
        const rows = await q.orderBy("created_at").orderBy("id").limit(pageSize).execute();
        if (rows.length === 0) return;
        const ids = rows.map((r) => r.id);
        const eventRows = await db
          .selectFrom("feedback_events")
          .selectAll()
          .where("interaction_id", "in", ids)
          .orderBy("id")
          .execute();
        const byInteraction = new Map<string, FeedbackEvent[]>();
        for (const row of eventRows) {
          const list = byInteraction.get(row.interaction_id) ?? [];
          list.push(toFeedbackEvent(row));
          byInteraction.set(row.interaction_id, list);
        }
        for (const row of rows) {
          yield { interaction: toInteraction(row), events: byInteraction.get(row.id) ?? [] };
        }
        const last = rows[rows.length - 1]!;
        after = { createdAt: Number(last.created_at), id: last.id };
        if (rows.length < pageSize) return;
      }
    },

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
