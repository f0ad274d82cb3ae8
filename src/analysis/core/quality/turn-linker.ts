/**
 * Pairs each turn with the next turn of the same task in the same session, so that a follow-up recorded on a
 * turn can be told apart (rephrase vs new topic) by the next user message. Pure and streaming: feed turns in
 * creation order; it holds back at most one turn per (task, session), and none longer than `maxGapMs` (a next
 * turn later than that is no longer a follow-up), so memory stays bounded by the sessions active in that window.
 */
import { followUpKind } from "./follow-up-kind.js";
import type { FollowUpKind } from "./turn-signals.js";

/** What the linker needs of a turn. */
export interface LinkableTurn {
  task: string;
  sessionHash: string | null;
  /** The user's message of the turn. */
  input: string;
  /** Whether a follow_up event was recorded on the turn. */
  hasFollowUp: boolean;
  /** epoch ms; turns come in this order. */
  createdAt: number;
}

/** Why a follow-up was left out of the score. */
export type IgnoredFollowUpReason = "no_session" | "no_next_turn";

/** A turn released by the linker, with its follow-up kind (null: none, or ignored for `ignoredReason`). */
export interface LinkedTurn<T> {
  turn: T;
  followUp: FollowUpKind | null;
  ignoredReason: IgnoredFollowUpReason | null;
}

export interface TurnLinker<T extends LinkableTurn> {
  /** Adds the next turn; returns the turns now complete (the previous turn of its session, or itself without one). */
  add(turn: T): LinkedTurn<T>[];
  /** Releases the turns still waiting for a next turn. */
  finish(): LinkedTurn<T>[];
}

/** The longest gap between a turn and the next one that still links them: one day, the API's follow-up limit. */
export const defaultMaxGapMs = 86_400_000;

export function createTurnLinker<T extends LinkableTurn>(maxGapMs = defaultMaxGapMs): TurnLinker<T> {
  // Insertion order = order of the latest turn per key, so the stalest entries are always first.
  const waiting = new Map<string, T>();
  const unlinked = (turn: T, reason: IgnoredFollowUpReason): LinkedTurn<T> => ({
    turn,
    followUp: null,
    ignoredReason: turn.hasFollowUp ? reason : null,
  });
  return {
    add(turn) {
      const released: LinkedTurn<T>[] = [];
      for (const [key, stale] of waiting) {
        if (stale.createdAt >= turn.createdAt - maxGapMs) break;
        waiting.delete(key);
        released.push(unlinked(stale, "no_next_turn"));
      }
      if (turn.sessionHash === null) return [...released, unlinked(turn, "no_session")];
      const key = `${turn.task}\u0000${turn.sessionHash}`;
      const previous = waiting.get(key);
      waiting.delete(key);
      waiting.set(key, turn);
      if (!previous) return released;
      released.push({
        turn: previous,
        followUp: previous.hasFollowUp ? followUpKind(previous.input, turn.input) : null,
        ignoredReason: null,
      });
      return released;
    },
    finish() {
      const rest = [...waiting.values()].map((turn) => unlinked(turn, "no_next_turn"));
      waiting.clear();
      return rest;
    },
  };
}
