import { AppError } from "../../errors.js";
import type { FeedbackEvent, Interaction, InteractionStore } from "./interaction-store.js";

/** A test double that passes the same contract suite as the SQLite store. */
export function createInMemoryInteractionStore(): InteractionStore {
  const interactions = new Map<string, Interaction>();
  const events: FeedbackEvent[] = [];
  const order = (a: Interaction, b: Interaction) =>
    a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    // Memory never fills up in a test.
    async assertCanRecord() {},
    async record(interaction) {
      if (interactions.has(interaction.id))
        throw new AppError("CONFLICT", `Interaction ${interaction.id} exists`);
      interactions.set(interaction.id, structuredClone(interaction));
    },
    async get(id) {
      const found = interactions.get(id);
      return found && structuredClone(found);
    },
    async appendFeedback(event) {
      if (!interactions.has(event.interactionId))
        throw new AppError("INTERACTION_NOT_FOUND", "No such interaction");
      const stored = { ...structuredClone(event), id: events.length + 1 };
      events.push(stored);
      return stored.id;
    },
    async feedbackFor(interactionId) {
      return events.filter((e) => e.interactionId === interactionId).map((e) => structuredClone(e));
    },
    async *streamWithFeedback(query = {}) {
      const selected = [...interactions.values()]
        .filter(
          (i) =>
            (query.task === undefined || i.task === query.task) &&
            (query.promptVersionId === undefined || i.promptVersionId === query.promptVersionId) &&
            (query.since === undefined || i.createdAt >= query.since) &&
            (query.until === undefined || i.createdAt < query.until),
        )
        .sort(order);
      for (const interaction of selected) {
        yield {
          interaction: structuredClone(interaction),
          events: events.filter((e) => e.interactionId === interaction.id).map((e) => structuredClone(e)),
        };
      }
    },
    async counts() {
      return { interactions: interactions.size, feedbackEvents: events.length };
    },
  };
}
