import type { FeedbackEvent, InteractionWithFeedback } from "../analysis-input.js";
import type { CorrectionReason } from "../../../feedback/feedback-types.js";

/** A feedback event without the bookkeeping fields, for writing fixtures tersely. */
export type EventSpec = FeedbackEvent extends infer E
  ? E extends FeedbackEvent
    ? Omit<E, "id" | "interactionId" | "createdAt"> & { createdAt?: number }
    : never
  : never;

export interface InteractionSpec {
  id?: string;
  task?: string;
  promptVersionId?: string;
  input?: string;
  predictedLabel?: string | null;
  createdAt?: number;
  events?: EventSpec[];
}

let nextEventId = 1;
let nextInteractionId = 1;

/** Builds one interaction with its events; event ids increase in the order given. */
export function buildInteraction(spec: InteractionSpec = {}): InteractionWithFeedback {
  const id = spec.id ?? `i${nextInteractionId++}`;
  const createdAt = spec.createdAt ?? Date.UTC(2025, 0, 1);
  return {
    interaction: {
      id,
      task: spec.task ?? "sentiment",
      promptVersionId: spec.promptVersionId ?? "sentiment@v1",
      input: spec.input ?? "默认文本",
      predictedLabel: spec.predictedLabel === undefined ? "正面" : spec.predictedLabel,
      confidence: null,
      createdAt,
      sessionHash: null,
    },
    events: (spec.events ?? []).map(
      (event) =>
        ({
          ...event,
          id: nextEventId++,
          interactionId: id,
          createdAt: event.createdAt ?? createdAt,
        }) as FeedbackEvent,
    ),
  };
}

export const thumbsUp: EventSpec = { type: "label_confirm", payload: { correct: true } };
export const thumbsDown: EventSpec = { type: "label_confirm", payload: { correct: false } };
export function correction(label: string, reasons?: CorrectionReason[]): EventSpec {
  return { type: "label_correct", payload: reasons === undefined ? { label } : { label, reasons } };
}
