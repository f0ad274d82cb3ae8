import type { InteractionStore } from "../../feedback/store/interaction-store.js";
import type { AnalysisEvidenceQueries } from "./evidence-queries.js";

const labelFeedbackTypes = new Set(["label_confirm", "label_correct"]);

/**
 * The evidence queries answered by streaming any InteractionStore (the SQL version asks the database directly):
 * for createTestServices and the in-memory stores.
 */
export function createInteractionEvidenceQueries(interactions: InteractionStore): AnalysisEvidenceQueries {
  return {
    async maxFeedbackEventId() {
      let max: number | null = null;
      for await (const { events } of interactions.streamWithFeedback()) {
        for (const event of events) max = Math.max(max ?? event.id, event.id);
      }
      return max;
    },
    async countInteractions(since) {
      let count = 0;
      for await (const _item of interactions.streamWithFeedback(since === null ? {} : { since })) count++;
      return count;
    },
    async holdoutCutoff({ versionIds, since, fraction, minLabelled }) {
      const times: number[] = [];
      for await (const { interaction, events } of interactions.streamWithFeedback(
        since === null ? {} : { since },
      )) {
        if (!versionIds.includes(interaction.promptVersionId) || interaction.label === null) continue;
        if (events.some((event) => labelFeedbackTypes.has(event.type))) times.push(interaction.createdAt);
      }
      if (versionIds.length === 0 || times.length < minLabelled) return null;
      times.sort((a, b) => a - b);
      return times[Math.min(times.length - 1, Math.floor(times.length * (1 - fraction)))] ?? null;
    },
  };
}
