/**
 * Few-shot exemplars from users' edits: a user who rewrote a reply showed the answer they wanted, so the pair
 * (their message, their edit) is an example of a better reply. The exemplars are sanitised (sanitiseUserText),
 * masked for personal data (the injected mask), checked like any reply (no empty, refusing, repetitive, leaking or
 * wrong-language text), deduplicated by message and by reply, and the clearest edits come first. Pure.
 */
import { normalisedEditDistance } from "../quality/turn-signals.js";
import { sanitiseUserText } from "../candidates/sanitise-user-text.js";
import { charCount, replyPropertiesOf, type LengthTarget } from "./reply-properties.js";

/** A turn the user edited, from before the holdout. */
export interface EditedTurn {
  interactionId: string;
  input: string;
  /** The model's reply. */
  output: string;
  /** The user's edit of it. */
  edit: string;
  createdAt: number;
}

export interface EditExemplar {
  interactionId: string;
  /** The user's message, sanitised and masked. */
  input: string;
  /** The user's edit, sanitised and masked. */
  reply: string;
  /** How much of the model's reply the user changed (normalised edit distance). */
  editDistance: number;
}

export interface EditExemplarOptions {
  /** Masks personal data (the shell passes redactPersonalData). */
  mask: (text: string) => string;
  lengthTarget: LengthTarget;
  /** Default 3. */
  max?: number;
  /** Longest message / reply kept (characters); longer ones are left out, not cut. Defaults 200 / 400. */
  maxInputChars?: number;
  maxReplyChars?: number;
  /** Edits changing less than this share of the reply are touch-ups, not examples. Default 0.1. */
  minEditDistance?: number;
  /** Messages at least this similar (1 − normalised edit distance) count as the same. Default 0.8. */
  sameMessageSimilarity?: number;
}

/** Why an edit was not used, counted for the report. */
export interface ExemplarSelection {
  exemplars: EditExemplar[];
  edits: number;
  rejected: { touchUp: number; unsafe: number; tooLong: number; failsChecks: number; duplicate: number };
}

/** Picks up to `max` exemplars from the edited turns. */
export function selectEditExemplars(
  turns: readonly EditedTurn[],
  options: EditExemplarOptions,
): ExemplarSelection {
  const rejected = { touchUp: 0, unsafe: 0, tooLong: 0, failsChecks: 0, duplicate: 0 };
  const usable: EditExemplar[] = [];
  const ordered = [...turns]
    .map((turn) => ({ turn, distance: normalisedEditDistance(turn.output, turn.edit) }))
    // The clearest preference first: the bigger the rewrite, the more the reply missed; then the newest.
    .sort((a, b) => b.distance - a.distance || b.turn.createdAt - a.turn.createdAt);
  for (const { turn, distance } of ordered) {
    if (distance < (options.minEditDistance ?? 0.1)) {
      rejected.touchUp += 1;
      continue;
    }
    const input = options.mask(sanitiseUserText(turn.input));
    const reply = options.mask(sanitiseUserText(turn.edit));
    if (input === "" || reply === "") {
      rejected.unsafe += 1;
      continue;
    }
    if (
      charCount(input) > (options.maxInputChars ?? 200) ||
      charCount(reply) > (options.maxReplyChars ?? 400)
    ) {
      rejected.tooLong += 1;
      continue;
    }
    const problems = replyPropertiesOf(input, reply, options.lengthTarget);
    problems.delete("too_short");
    problems.delete("too_long");
    if (problems.size > 0) {
      rejected.failsChecks += 1;
      continue;
    }
    const similar = (a: string, b: string) =>
      1 - normalisedEditDistance(a, b) >= (options.sameMessageSimilarity ?? 0.8);
    if (usable.some((kept) => similar(kept.input, input) || kept.reply === reply)) {
      rejected.duplicate += 1;
      continue;
    }
    usable.push({ interactionId: turn.interactionId, input, reply, editDistance: distance });
  }
  return { exemplars: usable.slice(0, options.max ?? 3), edits: turns.length, rejected };
}
