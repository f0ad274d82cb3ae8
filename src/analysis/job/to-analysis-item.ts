import type {
  InteractionWithFeedback as AnalysisItem,
  FeedbackEvent as AnalysisEvent,
} from "../core/analysis-input.js";
import type { InteractionWithFeedback } from "../../feedback/store/interaction-store.js";

/** Adapts a stored interaction to the analysis core's input shape (the payloads were validated when stored). */
export function toAnalysisItem({ interaction, events }: InteractionWithFeedback): AnalysisItem {
  return {
    interaction: {
      id: interaction.id,
      task: interaction.task,
      promptVersionId: interaction.promptVersionId,
      input: interaction.input,
      predictedLabel: interaction.label,
      confidence: interaction.confidence,
      createdAt: interaction.createdAt,
      sessionHash: interaction.sessionHash,
    },
    events: events.map((e) => ({ ...e }) as unknown as AnalysisEvent),
  };
}
