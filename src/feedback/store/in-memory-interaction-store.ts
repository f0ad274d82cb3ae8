import { AppError } from "../../errors.js";
import type { FeedbackEvent, Interaction, InteractionStore, SessionErasure } from "./interaction-store.js";

/** A test double that passes the same contract suite as the SQLite store. */
export function createInMemoryInteractionStore(): InteractionStore {
  const interactions = new Map<string, Interaction>();
  let events: FeedbackEvent[] = [];
  const dedupeKeys = new Map<number, string>();
  const erasures: SessionErasure[] = [];
  let nextEventId = 1;
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
      const stored = { ...structuredClone(event), id: nextEventId++ };
      events.push(stored);
      return stored.id;
    },
    async appendFeedbackOnce(event, rules) {
      if (!interactions.has(event.interactionId))
        throw new AppError("INTERACTION_NOT_FOUND", "No such interaction");
      const ofInteraction = events.filter((e) => e.interactionId === event.interactionId);
      const same = ofInteraction.find((e) => dedupeKeys.get(e.id) === rules.dedupeKey);
      if (same) return { outcome: "duplicate", id: same.id };
      if (ofInteraction.filter((e) => e.type === event.type).length >= rules.maxOfType)
        return { outcome: "capped", id: null };
      const id = await this.appendFeedback(event);
      dedupeKeys.set(id, rules.dedupeKey);
      return { outcome: "stored", id };
    },
    async eraseSession(sessionHash, context) {
      const erased = new Set(
        [...interactions.values()].filter((i) => i.sessionHash === sessionHash).map((i) => i.id),
      );
      const before = events.length;
      events = events.filter((e) => e.sessionHash !== sessionHash && !erased.has(e.interactionId));
      for (const id of erased) interactions.delete(id);
      for (const interaction of interactions.values())
        if (interaction.parentId !== null && erased.has(interaction.parentId)) interaction.parentId = null;
      const erasure = {
        sessionHash,
        interactions: erased.size,
        feedbackEvents: before - events.length,
        actor: context.actor,
        erasedAt: context.at,
      };
      erasures.unshift(erasure);
      return { ...erasure };
    },
    async listErasures(limit) {
      return erasures.slice(0, limit).map((erasure) => ({ ...erasure }));
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
            (query.until === undefined || i.createdAt < query.until) &&
            (query.inputContains === undefined ||
              i.input.toLowerCase().includes(query.inputContains.toLowerCase())) &&
            (query.withFeedbackTypes === undefined ||
              events.some((e) => e.interactionId === i.id && query.withFeedbackTypes!.includes(e.type))),
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
