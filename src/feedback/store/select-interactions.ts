import { sql, type Kysely } from "kysely";
import type { Database } from "../../storage/database-schema.js";
import type { InteractionQuery } from "./interaction-store.js";

/** `select * from interactions` narrowed by an InteractionQuery: what both ways of streaming start from. */
export function selectInteractions(db: Kysely<Database>, query: InteractionQuery) {
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
  return q;
}
