import type { Kysely } from "kysely";
import type { Database } from "../../storage/database-schema.js";
import type { InteractionQuery, InteractionWithFeedback } from "./interaction-store.js";
import { selectInteractions } from "./select-interactions.js";
import { toFeedbackEvent, toInteraction } from "./stored-rows.js";

/** Rows fetched per round trip: enough to amortise the round trip, few enough to keep memory flat. */
const rowsPerFetch = 2000;

/**
 * Streams interactions with their feedback through one server-side cursor (pg-cursor, through Kysely's stream()):
 * one query, the interactions left-joined to their events in (created_at, id, event id) order, read a chunk at a
 * time and regrouped here, so memory holds one chunk and one interaction's events. PostgreSQL's way: the cursor
 * holds one pooled connection while the others serve requests, and the whole stream reads one snapshot.
 */
export async function* streamByCursor(
  db: Kysely<Database>,
  query: InteractionQuery,
): AsyncIterable<InteractionWithFeedback> {
  const rows = db
    .selectFrom(selectInteractions(db, query).as("i"))
    .leftJoin("feedback_events as f", "f.interaction_id", "i.id")
    .selectAll("i")
    .select([
      "f.id as event_id",
      "f.type as event_type",
      "f.payload as event_payload",
      "f.session_hash as event_session_hash",
      "f.created_at as event_created_at",
    ])
    .orderBy("i.created_at")
    .orderBy("i.id")
    .orderBy("f.id")
    .stream(rowsPerFetch);
  let current: InteractionWithFeedback | undefined;
  for await (const row of rows) {
    if (current?.interaction.id !== row.id) {
      if (current) yield current;
      current = { interaction: toInteraction(row), events: [] };
    }
    if (row.event_id !== null) {
      current.events.push(
        toFeedbackEvent({
          id: row.event_id,
          interaction_id: row.id,
          type: row.event_type!,
          payload: row.event_payload!,
          session_hash: row.event_session_hash,
          created_at: row.event_created_at!,
        }),
      );
    }
  }
  if (current) yield current;
}
