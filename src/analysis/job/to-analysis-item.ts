import type { InteractionWithFeedback as AnalysisItem } from "../core/analysis-input.js";
import type { InteractionWithFeedback } from "../../feedback/store/interaction-store.js";

/** Adapts a stored interaction to the analysis core's input shape (the events are already typed: the store checked their payloads). */
export function toAnalysisItem({ interaction, events }: InteractionWithFeedback): AnalysisItem {
  return {
    interaction: {
      id: interaction.id,
      task: interaction.task,
      promptVersionId: interaction.promptVersionId,
      input: interaction.input,
      output: interaction.output,
      parentId: interaction.parentId,
      predictedLabel: interaction.label,
      confidence: interaction.confidence,
      createdAt: interaction.createdAt,
      sessionHash: interaction.sessionHash,
    },
    events,
  };
}
