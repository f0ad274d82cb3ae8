import type { FeedbackEvent, FeedbackType, NewFeedbackEvent } from "../feedback-event.js";

export type { FeedbackEvent, FeedbackType, NewFeedbackEvent } from "../feedback-event.js";

/** A stored model call: one classification or one reply. */
export interface Interaction {
  id: string;
  task: string;
  promptVersionId: string;
  parentId: string | null;
  sessionHash: string | null;
  userHash: string | null;
  input: string;
  output: string | null;
  label: string | null;
  confidence: number | null;
  latencyMs: number | null;
  status: "ok" | "error" | "cancelled";
  errorCode: string | null;
  experimentId: string | null;
  arm: string | null;
  createdAt: number;
  completedAt: number | null;
}

export interface InteractionWithFeedback {
  interaction: Interaction;
  events: FeedbackEvent[];
}

export interface InteractionQuery {
  task?: string;
  /** Inclusive lower bound on createdAt (epoch ms). */
  since?: number;
  /** Exclusive upper bound on createdAt (epoch ms). */
  until?: number;
  promptVersionId?: string;
  /** Only interactions with at least one feedback event of one of these types (e.g. the label events). */
  withFeedbackTypes?: readonly FeedbackType[];
  /** Only interactions whose (masked) input contains this text; ASCII letters match case-insensitively. */
  inputContains?: string;
}

/** How {@link InteractionStore.appendFeedbackOnce} treats an event. */
export interface FeedbackAppendRules {
  /** Identifies the event within its interaction: a second event with the same key is the same event. */
  dedupeKey: string;
  /** The most events of this type the interaction may have. */
  maxOfType: number;
}

/** What appendFeedbackOnce did: stored the event, found it stored already (a replay), or refused it (cap reached). */
export type FeedbackAppendOutcome =
  { outcome: "stored" | "duplicate"; id: number } | { outcome: "capped"; id: null };

/** The audit record of one session's erasure. */
export interface SessionErasure {
  sessionHash: string;
  /** Interactions of the session, and feedback events on them or sent by it, that were deleted. */
  interactions: number;
  feedbackEvents: number;
  /** Who asked (e.g. `api:admin`). */
  actor: string;
  erasedAt: number;
}

/**
 * Durable storage of interactions and their feedback. Every write resolves only once it is on disk:
 * a caller may acknowledge it to a client as soon as the promise resolves.
 */
export interface InteractionStore {
  /**
   * Throws 503 STORAGE_FAILED unless an interaction could be recorded right now (free space, a write probe). Model
   * routes call it before they spend the model, so they refuse at once instead of computing an unstorable answer.
   */
  assertCanRecord(): Promise<void>;
  /** Inserts a finished interaction. Ids are chosen by the caller (random UUIDs). */
  record(interaction: Interaction): Promise<void>;
  get(id: string): Promise<Interaction | undefined>;
  /** Appends one feedback event and returns its monotonic id. The interaction must exist. */
  appendFeedback(event: NewFeedbackEvent): Promise<number>;
  /**
   * Appends one event from a client, atomically: a no-op returning the stored event's id when the interaction
   * already has an event with `rules.dedupeKey`, and refused when it already has `rules.maxOfType` events of the
   * type. The interaction must exist.
   */
  appendFeedbackOnce(event: NewFeedbackEvent, rules: FeedbackAppendRules): Promise<FeedbackAppendOutcome>;
  /**
   * Deletes a session's interactions, the feedback on them and the feedback it sent, and records the erasure (in
   * the same transaction); links from other interactions to erased ones are cut.
   */
  eraseSession(sessionHash: string, context: { actor: string; at: number }): Promise<SessionErasure>;
  /** Recorded erasures, newest first. */
  listErasures(limit: number): Promise<SessionErasure[]>;
  feedbackFor(interactionId: string): Promise<FeedbackEvent[]>;
  /**
   * Interactions in creation order, each with all of its feedback, read in pages so memory stays bounded
   * however large the table is.
   */
  streamWithFeedback(query?: InteractionQuery): AsyncIterable<InteractionWithFeedback>;
  counts(): Promise<{ interactions: number; feedbackEvents: number }>;
}
