/**
 * Turns one stored interaction and its feedback into fine-tuning examples. Pure.
 * - a classification a user corrected → the corrected label as the answer under the version's prompt;
 * - a reply a user edited → the (latest) edit as the answer;
 * - a reply with a fused quality score at or above `minQuality` and no edit → the reply as it was.
 */
import type { FeedbackEventRecord } from "../../feedback/feedback-event.js";
import type { PromptDefinition } from "../../tasks/prompt-definition.js";
import { classificationPrefix } from "../../tasks/classification-prompt.js";
import { fusedQualityScore } from "../../analysis/core/quality/quality-score.js";
import { readTurnSignals } from "../../analysis/core/quality/turn-signals.js";
import type { SftExample, SftMessage } from "./sft-example.js";

export interface StoredTurn {
  task: string;
  promptVersionId: string;
  /** The user's text as stored (already masked). */
  input: string;
  output: string | null;
  status: "ok" | "error" | "cancelled";
  createdAt: number;
  events: readonly FeedbackEventRecord[];
}

export interface SftSelection {
  /** Lowest fused quality score (0–1) for a reply to count as high quality. */
  minQuality: number;
  /** Applied to every text that goes into a row (personal data masking). */
  mask: (text: string) => string;
}

function latest<T extends FeedbackEventRecord["type"]>(events: readonly FeedbackEventRecord[], type: T) {
  const found = events.filter(
    (event): event is Extract<FeedbackEventRecord, { type: T }> => event.type === type,
  );
  return found.at(-1);
}

function prefixOf(definition: PromptDefinition): SftMessage[] {
  if (definition.kind === "classifier")
    return classificationPrefix(definition).filter((turn) => turn.content !== "");
  return definition.systemPrompt === "" ? [] : [{ role: "system", content: definition.systemPrompt }];
}

export function sftExamplesOf(
  turn: StoredTurn,
  definition: PromptDefinition,
  selection: SftSelection,
): SftExample[] {
  if (turn.status !== "ok" || turn.input.trim() === "") return [];
  const example = (source: SftExample["source"], target: string, label: string | null): SftExample => ({
    row: {
      messages: [
        ...prefixOf(definition).map((m) => ({ role: m.role, content: selection.mask(m.content) })),
        { role: "user", content: selection.mask(turn.input) },
        { role: "assistant", content: selection.mask(target) },
      ],
    },
    source,
    task: turn.task,
    promptVersionId: turn.promptVersionId,
    label,
    createdAt: turn.createdAt,
  });
  if (definition.kind === "classifier") {
    const correction = latest(turn.events, "label_correct");
    const labels = definition.labels ?? [];
    if (!correction || !labels.includes(correction.payload.label)) return [];
    return [example("correction", correction.payload.label, correction.payload.label)];
  }
  if (turn.output === null || turn.output.trim() === "") return [];
  const edit = latest(turn.events, "reply_edit");
  if (edit) return edit.payload.text.trim() === "" ? [] : [example("edit", edit.payload.text, null)];
  const score = fusedQualityScore(readTurnSignals({ output: turn.output, events: turn.events }, null));
  return score !== null && score >= selection.minQuality ? [example("high_quality", turn.output, null)] : [];
}
