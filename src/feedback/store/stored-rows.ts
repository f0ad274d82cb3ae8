import type { Selectable } from "kysely";
import { parseFeedbackBody } from "../feedback-event.js";
import type { FeedbackEventsTable, InteractionsTable } from "../../storage/database-schema.js";
import type { FeedbackEvent, Interaction } from "./interaction-store.js";

/**
 * Rows as the SQL stores read them. Integers go through Number(): PostgreSQL's int8 arrives as text where a query
 * bypasses the pool's type parsers (pg-cursor's streams do).
 */
export function toInteraction(row: Selectable<InteractionsTable>): Interaction {
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

export type FeedbackEventRow = Pick<
  Selectable<FeedbackEventsTable>,
  "id" | "interaction_id" | "type" | "payload" | "session_hash" | "created_at"
>;

export function toFeedbackEvent(row: FeedbackEventRow): FeedbackEvent {
  return {
    id: Number(row.id),
    interactionId: row.interaction_id,
    sessionHash: row.session_hash,
    createdAt: Number(row.created_at),
    ...parseFeedbackBody(row.type, JSON.parse(row.payload)),
  };
}
