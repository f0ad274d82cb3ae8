import type { Kysely } from "kysely";
import type { Database } from "../../storage/database-schema.js";
import type { FeedbackEvent, InteractionQuery, InteractionWithFeedback } from "./interaction-store.js";
import { selectInteractions } from "./select-interactions.js";
import { toFeedbackEvent, toInteraction } from "./stored-rows.js";

const pageSize = 500;

/**
 * One page: the interactions after `after` in (created_at, id) order. After the first page, the page's start is the
 * only lower bound on created_at, so SQLite seeks the created_at index there; with `since` as the bound, or with
 * `created_at > ? or (created_at = ? and id > ?)` alone, it walked the index from the window's start on every page
 * (quadratic in the window's length).
 */
export function pageQuery(
  db: Kysely<Database>,
  query: InteractionQuery,
  after: { createdAt: number; id: string } | undefined,
) {
  if (after === undefined)
    return selectInteractions(db, query).orderBy("created_at").orderBy("id").limit(pageSize);
  // Every row already streamed is inside the window, so the page's start is at or after `since`.
  return selectInteractions(db, { ...query, since: after.createdAt })
    .where((eb) => eb.or([eb("created_at", ">", after.createdAt), eb("id", ">", after.id)]))
    .orderBy("created_at")
    .orderBy("id")
    .limit(pageSize);
}

/**
 * Streams interactions with their feedback in pages, keyset-paginated on (created_at, id): two short queries a
 * page, memory bounded by the page. SQLite's way: it has one connection, and an open statement iterator would hold
 * it (every request waiting) for the whole stream; between pages, requests get their turn.
 */
export async function* streamByPages(
  db: Kysely<Database>,
  query: InteractionQuery,
): AsyncIterable<InteractionWithFeedback> {
  let after: { createdAt: number; id: string } | undefined;
  for (;;) {
    const rows = await pageQuery(db, query, after).execute();
    if (rows.length === 0) return;
    const eventRows = await db
      .selectFrom("feedback_events")
      .selectAll()
      .where(
        "interaction_id",
        "in",
        rows.map((r) => r.id),
      )
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
}
