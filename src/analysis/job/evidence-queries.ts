import { sql, type Kysely } from "kysely";
import type { Database } from "../../storage/database-schema.js";

/** The few aggregate questions the analysis job asks the database before it streams the history. */
export interface AnalysisEvidenceQueries {
  /** The highest feedback event id, or null with no feedback: the run's "anything new?" check. */
  maxFeedbackEventId(): Promise<number | null>;
  /** Interactions created at or after `since` (all with null): the streaming progress total. */
  countInteractions(since: number | null): Promise<number>;
  /**
   * The time that splits the labelled interactions of the given versions (created at or after `since`) so that the
   * latest `fraction` of them are held out; null when fewer than `minLabelled` are labelled.
   */
  holdoutCutoff(query: {
    versionIds: readonly string[];
    since: number | null;
    fraction: number;
    minLabelled: number;
  }): Promise<number | null>;
}

const labelFeedbackTypes = ["label_confirm", "label_correct"];

export function createAnalysisEvidenceQueries(db: Kysely<Database>): AnalysisEvidenceQueries {
  const labelledOf = (versionIds: readonly string[], since: number | null) => {
    let query = db
      .selectFrom("interactions as i")
      .where("i.prompt_version_id", "in", [...versionIds])
      .where("i.label", "is not", null)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom("feedback_events as f")
            .select(sql.lit(1).as("one"))
            .whereRef("f.interaction_id", "=", "i.id")
            .where("f.type", "in", labelFeedbackTypes),
        ),
      );
    if (since !== null) query = query.where("i.created_at", ">=", since);
    return query;
  };

  return {
    async maxFeedbackEventId() {
      const row = await db
        .selectFrom("feedback_events")
        .select((eb) => eb.fn.max("id").as("max"))
        .executeTakeFirst();
      return row?.max === null || row?.max === undefined ? null : Number(row.max);
    },

    async countInteractions(since) {
      let query = db.selectFrom("interactions").select((eb) => eb.fn.countAll<number>().as("n"));
      if (since !== null) query = query.where("created_at", ">=", since);
      return Number((await query.executeTakeFirstOrThrow()).n);
    },

    async holdoutCutoff({ versionIds, since, fraction, minLabelled }) {
      if (versionIds.length === 0) return null;
      const { n } = await labelledOf(versionIds, since)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      const labelled = Number(n);
      if (labelled < minLabelled) return null;
      const offset = Math.min(labelled - 1, Math.floor(labelled * (1 - fraction)));
      const row = await labelledOf(versionIds, since)
        .select("i.created_at")
        .orderBy("i.created_at")
        .limit(1)
        .offset(offset)
        .executeTakeFirst();
      return row === undefined ? null : Number(row.created_at);
    },
  };
}
