import { AppError } from "../../errors.js";
import type { PromptLabelName } from "../../prompts/prompt-label.js";
import type { RolloutDecision } from "./rollout-decision.js";

/** The labels the rollout moves: all of the registry's. Each points at one version of a task at a time. */
export type RolloutLabel = PromptLabelName;

/** Where a label points now: the shape the prompt store's listLabels returns. */
export interface LabelPointer {
  label: string;
  versionId: string;
  /** When the label was last moved, epoch milliseconds (pending_retirement's age decides retirement). */
  updatedAt: number;
}

/** What happened that may move labels. */
export type LabelEvent =
  /** A candidate starts its canary. */
  | { kind: "start_canary"; candidateVersionId: string }
  /** The candidate replaces the active version (the decision core's `promote`, or an operator). */
  | { kind: "promote"; candidateVersionId: string }
  /**
   * The candidate is withdrawn (the decision core's `rollback`, or an operator). Works both during the canary and
   * after a promotion, while the replaced version is still pending retirement.
   */
  | { kind: "rollback"; candidateVersionId: string }
  /** Periodic housekeeping: retire the pending version once its grace period is over. */
  | { kind: "retire_expired" };

/** Machine-readable reasons for a move. */
export type LabelMoveReasonCode =
  | "canary_started"
  | "canary_ended"
  | "promoted"
  | "replaced_by_promotion"
  | "rolled_back"
  | "restored_after_rollback"
  | "grace_period_over"
  | "superseded"
  /** A retired version is labelled again (a new canary or a promotion): it no longer holds the `retired` pointer. */
  | "reinstated";

/** One label move; `{task, label, toVersionId}` is the prompt store's LabelMove. */
export interface PlannedLabelMove {
  task: string;
  label: RolloutLabel;
  /** The version the label points at before the move (null if unset). */
  fromVersionId: string | null;
  /** The version the label points at after the move; null removes the label. */
  toVersionId: string | null;
  reasonCode: LabelMoveReasonCode;
  reason: string;
}

/** Input of {@link planLabelMoves}. */
export interface PlanLabelMovesOptions {
  task: string;
  /** The task's labels now. */
  labels: readonly LabelPointer[];
  event: LabelEvent;
  /** Epoch milliseconds. */
  now: number;
  /** How long a replaced version stays pending_retirement before it is retired. */
  gracePeriodHours: number;
}

/**
 * The label moves an event implies, for the store to apply in one transaction (so a request never sees a task
 * with no active version). Pure: it reads only its arguments. Throws AppError ROLLOUT_CONFLICT when the labels
 * do not allow the event (a second canary, promoting the active version, nothing to restore…).
 */
export function planLabelMoves(options: PlanLabelMovesOptions): PlannedLabelMove[] {
  const { task, labels, event, now, gracePeriodHours } = options;
  const pointer = (label: RolloutLabel) => labels.find((entry) => entry.label === label);
  const move = (
    label: RolloutLabel,
    toVersionId: string | null,
    reasonCode: LabelMoveReasonCode,
    reason: string,
  ): PlannedLabelMove => ({
    task,
    label,
    fromVersionId: pointer(label)?.versionId ?? null,
    toVersionId,
    reasonCode,
    reason,
  });
  const active = pointer("active");
  const canary = pointer("canary");
  const pending = pointer("pending_retirement");
  const retired = pointer("retired");
  /** Clears the `retired` pointer off a version that is labelled again, so it never shows `active,retired`. */
  const reinstate = (id: string): PlannedLabelMove[] =>
    retired?.versionId === id
      ? [move("retired", null, "reinstated", `${id} is no longer retired: it is labelled again.`)]
      : [];

  switch (event.kind) {
    case "start_canary": {
      const id = event.candidateVersionId;
      if (!active) throw conflict(`Task ${task} has no active version to compare ${id} with`);
      if (active.versionId === id) throw conflict(`${id} is already active`);
      if (canary) throw conflict(`Task ${task} already has canary ${canary.versionId}`);
      return [
        ...reinstate(id),
        move("canary", id, "canary_started", `Canary started for ${id} against ${active.versionId}.`),
      ];
    }
    case "promote": {
      const id = event.candidateVersionId;
      if (active?.versionId === id) throw conflict(`${id} is already active`);
      const moves: PlannedLabelMove[] = [...reinstate(id)];
      // Promoting the version pending retirement swaps it with the active one; it is not retired on the way.
      if (pending && pending.versionId !== id) {
        moves.push(
          move(
            "retired",
            pending.versionId,
            "superseded",
            `${pending.versionId} retired early: a newer version replaced its successor within the grace period.`,
          ),
        );
      }
      if (active) {
        moves.push(
          move(
            "pending_retirement",
            active.versionId,
            "replaced_by_promotion",
            `${active.versionId} replaced by ${id}; kept for rollback for ${gracePeriodHours} h.`,
          ),
        );
      }
      moves.push(move("active", id, "promoted", `${id} promoted to active.`));
      if (canary)
        moves.push(
          move("canary", null, "canary_ended", `Canary of ${canary.versionId} ended by the promotion.`),
        );
      return moves;
    }
    case "rollback": {
      const id = event.candidateVersionId;
      if (canary?.versionId === id) {
        return [
          move(
            "retired",
            id,
            "rolled_back",
            `${id} rolled back; ${active?.versionId ?? "no version"} stays active.`,
          ),
          move("canary", null, "canary_ended", `Canary of ${id} ended by the rollback.`),
        ];
      }
      if (active?.versionId === id) {
        if (!pending)
          throw conflict(`No stable version of ${task} is pending retirement to restore in place of ${id}`);
        return [
          move("retired", id, "rolled_back", `${id} rolled back after its promotion.`),
          move(
            "active",
            pending.versionId,
            "restored_after_rollback",
            `${pending.versionId} restored as the last stable version.`,
          ),
          move(
            "pending_retirement",
            null,
            "restored_after_rollback",
            `${pending.versionId} is active again.`,
          ),
        ];
      }
      throw conflict(`${id} is neither the canary nor the active version of ${task}`);
    }
    case "retire_expired": {
      if (!pending || now - pending.updatedAt < gracePeriodHours * 3_600_000) return [];
      return [
        move(
          "retired",
          pending.versionId,
          "grace_period_over",
          `${pending.versionId} retired after its ${gracePeriodHours} h grace period.`,
        ),
        move(
          "pending_retirement",
          null,
          "grace_period_over",
          `${pending.versionId} left pending retirement.`,
        ),
      ];
    }
  }
}

/** The label event a decision implies, or null (continue, ramp and halt move no labels). */
export function labelEventForDecision(
  decision: Pick<RolloutDecision, "action">,
  candidateVersionId: string,
): LabelEvent | null {
  if (decision.action === "promote") return { kind: "promote", candidateVersionId };
  if (decision.action === "rollback") return { kind: "rollback", candidateVersionId };
  return null;
}

function conflict(message: string): AppError {
  return new AppError("ROLLOUT_CONFLICT", message);
}
