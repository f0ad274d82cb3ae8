import { beforeEach, describe, expect, it } from "vitest";
import type { InteractionStore, NewFeedbackEvent } from "./interaction-store.js";
import { sampleInteraction } from "./test-support/sample-interaction.js";

/** The client-facing guards of an InteractionStore: idempotent, capped appends and session erasure. */
export function interactionStoreGuardsContract(name: string, create: () => Promise<InteractionStore>): void {
  describe(`InteractionStore guards contract: ${name}`, () => {
    let store: InteractionStore;
    beforeEach(async () => {
      store = await create();
    });

    const interaction = (id: string, sessionHash: string | null, parentId: string | null = null) =>
      sampleInteraction(id, 1000, { sessionHash, parentId });
    const correction = (
      interactionId: string,
      sessionHash: string | null,
      label = "负面",
    ): NewFeedbackEvent => ({
      interactionId,
      type: "label_correct",
      payload: { label },
      sessionHash,
      createdAt: 1100,
    });

    it("stores an event once per dedupe key, returning the stored id for a replay", async () => {
      await store.record(interaction("a", "s1"));
      const first = await store.appendFeedbackOnce(correction("a", "s1"), { dedupeKey: "k1", maxOfType: 5 });
      expect(first.outcome).toBe("stored");
      for (let i = 0; i < 3; i++) {
        const replay = await store.appendFeedbackOnce(correction("a", "s1", "正面"), {
          dedupeKey: "k1",
          maxOfType: 5,
        });
        expect(replay).toEqual({ outcome: "duplicate", id: first.id });
      }
      // The same key on another interaction is another event.
      await store.record(interaction("b", "s1"));
      expect(
        (await store.appendFeedbackOnce(correction("b", "s1"), { dedupeKey: "k1", maxOfType: 5 })).outcome,
      ).toBe("stored");
      expect(await store.feedbackFor("a")).toHaveLength(1);
    });

    it("refuses events past the cap for their type, and counts other types apart", async () => {
      await store.record(interaction("a", "s1"));
      const outcomes = [];
      for (let i = 0; i < 4; i++)
        outcomes.push(
          (await store.appendFeedbackOnce(correction("a", "s1"), { dedupeKey: `k${i}`, maxOfType: 2 }))
            .outcome,
        );
      expect(outcomes).toEqual(["stored", "stored", "capped", "capped"]);
      const exit = await store.appendFeedbackOnce(
        { interactionId: "a", type: "exit", payload: {}, sessionHash: "s1", createdAt: 1200 },
        { dedupeKey: "exit", maxOfType: 2 },
      );
      expect(exit.outcome).toBe("stored");
      expect(await store.feedbackFor("a")).toHaveLength(3);
    });

    it("erases a session's interactions and feedback, keeps everyone else's, and records the erasure", async () => {
      await store.record(interaction("mine-1", "s1"));
      await store.record(interaction("mine-2", "s1", "mine-1"));
      await store.record(interaction("theirs", "s2", "mine-1"));
      await store.record(interaction("anonymous", null));
      await store.appendFeedback(correction("mine-1", "s1"));
      await store.appendFeedback(correction("mine-2", "s1"));
      await store.appendFeedback(correction("theirs", "s2"));
      await store.appendFeedback({ ...correction("anonymous", null), createdAt: 1300 });
      const erasure = await store.eraseSession("s1", { actor: "api:admin", at: 5000 });
      expect(erasure).toEqual({
        sessionHash: "s1",
        interactions: 2,
        feedbackEvents: 2,
        actor: "api:admin",
        erasedAt: 5000,
      });
      expect(await store.get("mine-1")).toBeUndefined();
      expect(await store.get("mine-2")).toBeUndefined();
      expect((await store.get("theirs"))?.parentId).toBeNull();
      expect(await store.counts()).toEqual({ interactions: 2, feedbackEvents: 2 });
      expect(await store.listErasures(10)).toEqual([erasure]);
      // Erasing again finds nothing, and is recorded too.
      expect((await store.eraseSession("s1", { actor: "api:admin", at: 6000 })).interactions).toBe(0);
      expect((await store.listErasures(10)).map((e) => e.erasedAt)).toEqual([6000, 5000]);
    });
  });
}
