import type { Transaction } from "kysely";
import { AppError } from "../../errors.js";
import type { Database } from "../../storage/database-schema.js";
import type { LabelMove, LabelMoveMeta } from "./prompt-store.js";

/**
 * The one code path that writes label moves to SQLite, inside the caller's transaction: the prompt store's
 * moveLabels and the rollout store's decisions both go through it. Each move is checked against the version it
 * was planned from (when given) and against its target's task, applied, and recorded in the move log; any failure
 * throws, so the caller's transaction changes nothing.
 */
export async function writeLabelMoves(
  trx: Transaction<Database>,
  moves: readonly LabelMove[],
  meta: LabelMoveMeta,
): Promise<void> {
  for (const move of moves) {
    const current = await trx
      .selectFrom("prompt_labels")
      .select("version_id")
      .where("task", "=", move.task)
      .where("label", "=", move.label)
      .executeTakeFirst();
    const from = current?.version_id ?? null;
    if (move.fromVersionId !== undefined && from !== move.fromVersionId) {
      throw new AppError(
        meta.conflictCode ?? "CONFLICT",
        `The ${move.label} label of ${move.task} moved meanwhile (expected ${move.fromVersionId ?? "none"}, ` +
          `found ${from ?? "none"}); nothing was changed`,
      );
    }
    if (from === move.toVersionId) continue;
    const toVersionId = move.toVersionId;
    if (toVersionId === null) {
      await trx
        .deleteFrom("prompt_labels")
        .where("task", "=", move.task)
        .where("label", "=", move.label)
        .execute();
    } else {
      const target = await trx
        .selectFrom("prompt_versions")
        .select("task")
        .where("id", "=", toVersionId)
        .executeTakeFirst();
      if (target?.task !== move.task) {
        throw new AppError(
          "PROMPT_VERSION_NOT_FOUND",
          `Version ${toVersionId} does not exist for task ${move.task}`,
        );
      }
      await trx
        .insertInto("prompt_labels")
        .values({ task: move.task, label: move.label, version_id: toVersionId, updated_at: meta.now })
        .onConflict((oc) =>
          oc.columns(["task", "label"]).doUpdateSet({ version_id: toVersionId, updated_at: meta.now }),
        )
        .execute();
    }
    await trx
      .insertInto("prompt_label_moves")
      .values({
        task: move.task,
        label: move.label,
        from_version_id: from,
        to_version_id: toVersionId,
        actor: meta.actor,
        reason: move.reason ?? meta.reason,
        reason_code: move.reasonCode ?? null,
        reason_params: move.reasonParams ? JSON.stringify(move.reasonParams) : null,
        created_at: meta.now,
      })
      .execute();
  }
}
