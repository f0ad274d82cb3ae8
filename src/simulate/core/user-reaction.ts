import type { RandomSource } from "../../statistics/seeded-random.js";
import type { UserBehaviour } from "./simulation-settings.js";

/** Explicit label feedback, in the shape POST /api/feedback takes it. */
export type LabelFeedback =
  { type: "label_confirm"; correct: boolean } | { type: "label_correct"; label: string };

/** What a user does after seeing one answer. */
export interface UserReaction {
  feedback: LabelFeedback | null;
  /** The feedback is mistaken (for the report: the loop can't know). */
  mistaken: boolean;
  /** The user leaves: an exit is sent and the user's remaining requests never come. */
  exits: boolean;
}

/** The labels other than `label`, in the task's order. */
function otherLabels(labels: readonly string[], label: string): string[] {
  return labels.filter((candidate) => candidate !== label);
}

/** The item a uniform number in [0, 1) falls on. */
function itemAt<T>(items: readonly T[], uniform: number): T {
  return items[Math.min(items.length - 1, Math.floor(uniform * items.length))]!;
}

/**
 * A simulated user's reaction to an answer, from the gold label. Right → 👍. Wrong → a correction to the gold
 * label with the correction rate, else 👎. With the wrong-feedback rate the user gets it backwards: 👍 on a wrong
 * answer, and 👎 (or a correction to another wrong label) on a right one. After a wrong answer the user leaves
 * with the exit rate. The draws always happen in the same order, so one seed gives one run.
 */
export function reactToAnswer(
  answer: { gold: string; predicted: string; labels: readonly string[] },
  behaviour: UserBehaviour,
  random: RandomSource,
): UserReaction {
  const right = answer.predicted === answer.gold;
  const givesFeedback = random() < behaviour.feedbackRate;
  const mistaken = random() < behaviour.wrongFeedbackRate;
  const corrects = random() < behaviour.correctionRate;
  const choice = random();
  const exits = !right && random() < behaviour.exitAfterWrongRate;
  if (!givesFeedback) return { feedback: null, mistaken: false, exits };
  const seemsRight = mistaken ? !right : right;
  if (seemsRight) return { feedback: { type: "label_confirm", correct: true }, mistaken, exits };
  if (!corrects) return { feedback: { type: "label_confirm", correct: false }, mistaken, exits };
  // A correct user corrects to the gold label; a mistaken one to some other label than the one shown.
  const label = mistaken ? itemAt(otherLabels(answer.labels, answer.predicted), choice) : answer.gold;
  return { feedback: { type: "label_correct", label }, mistaken, exits };
}

/** A spammer corrects every answer to its label, whatever it was (mistaken whenever the gold label differs). */
export function spammerReaction(spamLabel: string, gold: string): UserReaction {
  return {
    feedback: { type: "label_correct", label: spamLabel },
    mistaken: gold !== spamLabel,
    exits: false,
  };
}
