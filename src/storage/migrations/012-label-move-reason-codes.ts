import type { Kysely, Migration } from "kysely";

/**
 * The label move log keeps the rollout's reason code and its facts (experiment, operator's words, …) beside the
 * recorded sentence, so the console tells the reason in the reader's language without parsing English. Older rows
 * keep null in both.
 */
export function labelMoveReasonCodesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("prompt_label_moves").addColumn("reason_code", "text").execute();
      await db.schema.alterTable("prompt_label_moves").addColumn("reason_params", "text").execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable("prompt_label_moves").dropColumn("reason_params").execute();
      await db.schema.alterTable("prompt_label_moves").dropColumn("reason_code").execute();
    },
  };
}
