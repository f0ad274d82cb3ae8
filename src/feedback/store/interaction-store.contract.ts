import { beforeEach, describe, expect, it } from "vitest";
import type { Interaction, InteractionStore } from "./interaction-store.js";
import { sampleInteraction } from "./test-support/sample-interaction.js";

/** Every InteractionStore implementation must pass this suite. `seedVersion` creates the referenced prompt version. */
export function interactionStoreContract(name: string, create: () => Promise<InteractionStore>): void {
  describe(`InteractionStore contract: ${name}`, () => {
    let store: InteractionStore;
    beforeEach(async () => {
      store = await create();
    });

    const interaction = (id: string, createdAt: number, overrides: Partial<Interaction> = {}) =>
      sampleInteraction(id, createdAt, { sessionHash: "abc", ...overrides });

    it("round-trips an interaction exactly", async () => {
      const original = interaction("a", 1000, { experimentId: "exp-1", arm: "candidate" });
      await store.record(original);
      expect(await store.get("a")).toEqual(original);
      expect(await store.get("missing")).toBeUndefined();
    });

    it("refuses a duplicate id", async () => {
      await store.record(interaction("a", 1000));
      await expect(store.record(interaction("a", 2000))).rejects.toThrow();
    });

    it("appends feedback with increasing ids and refuses feedback for unknown interactions", async () => {
      await store.record(interaction("a", 1000));
      const first = await store.appendFeedback({
        interactionId: "a",
        type: "label_correct",
        payload: { label: "负面", reasons: ["sarcasm"] },
        sessionHash: null,
        createdAt: 1100,
      });
      const second = await store.appendFeedback({
        interactionId: "a",
        type: "exit",
        payload: {},
        sessionHash: "abc",
        createdAt: 1200,
      });
      expect(second).toBeGreaterThan(first);
      expect(await store.feedbackFor("a")).toEqual([
        {
          id: first,
          interactionId: "a",
          type: "label_correct",
          payload: { label: "负面", reasons: ["sarcasm"] },
          sessionHash: null,
          createdAt: 1100,
        },
        { id: second, interactionId: "a", type: "exit", payload: {}, sessionHash: "abc", createdAt: 1200 },
      ]);
      await expect(
        store.appendFeedback({
          interactionId: "nope",
          type: "exit",
          payload: {},
          sessionHash: null,
          createdAt: 1,
        }),
      ).rejects.toThrow();
    });

    it("streams in creation order with each interaction's feedback, across page boundaries", async () => {
      const total = 1203;
      for (let i = 0; i < total; i++) {
        // Equal timestamps in pairs exercise the (createdAt, id) tie-break.
        await store.record(
          interaction(
            `id-${String(i).padStart(5, "0")}`,
            10_000 + Math.floor(i / 2),
            i % 3 === 0 ? { task: "chat" } : {},
          ),
        );
      }
      await store.appendFeedback({
        interactionId: "id-00600",
        type: "copy",
        payload: {},
        sessionHash: null,
        createdAt: 1,
      });
      const seen: string[] = [];
      let withFeedback = 0;
      for await (const { interaction: i, events } of store.streamWithFeedback()) {
        seen.push(i.id);
        withFeedback += events.length;
      }
      expect(seen).toHaveLength(total);
      expect(seen).toEqual([...seen].sort());
      expect(withFeedback).toBe(1);
      const chat: string[] = [];
      for await (const item of store.streamWithFeedback({ task: "chat", since: 10_100, until: 10_200 }))
        chat.push(item.interaction.id);
      expect(chat.length).toBeGreaterThan(0);
      expect(chat.every((id) => Number(id.slice(3)) % 3 === 0)).toBe(true);
      expect(await store.counts()).toEqual({ interactions: total, feedbackEvents: 1 });
    });

    it("streams each interaction's events as feedbackFor returns them, in id order, several per interaction", async () => {
      for (let i = 0; i < 9; i++) await store.record(interaction(`s${i}`, 2000 + i));
      // Events appended out of interaction order, some interactions with none, one with three.
      const plan = ["s4", "s1", "s4", "s7", "s1", "s4", "s8"];
      for (const [n, interactionId] of plan.entries()) {
        await store.appendFeedback(
          n % 2 === 0
            ? {
                interactionId,
                type: "rating",
                payload: { score: 1 + (n % 5) },
                sessionHash: n === 2 ? null : `sess-${n}`,
                createdAt: 9000 + n,
              }
            : {
                interactionId,
                type: "label_correct",
                payload: { label: "负面", reasons: ["sarcasm"] },
                sessionHash: `sess-${n}`,
                createdAt: 9000 + n,
              },
        );
      }
      const streamed = new Map<string, unknown>();
      for await (const { interaction: i, events } of store.streamWithFeedback()) streamed.set(i.id, events);
      expect([...streamed.keys()]).toEqual(Array.from({ length: 9 }, (_, i) => `s${i}`));
      for (const id of streamed.keys()) expect(streamed.get(id)).toEqual(await store.feedbackFor(id));
      expect((streamed.get("s4") as unknown[]).length).toBe(3);
      expect(streamed.get("s0")).toEqual([]);
    });

    it("answers other queries while a stream is paused, and frees what an abandoned stream held", async () => {
      for (let i = 0; i < 30; i++)
        await store.record(interaction(`p${String(i).padStart(2, "0")}`, 3000 + i));
      const paused = store.streamWithFeedback()[Symbol.asyncIterator]();
      expect((await paused.next()).value?.interaction.id).toBe("p00");
      expect((await store.get("p29"))?.id).toBe("p29");
      // More abandoned streams than a connection pool holds: each must give its connection back.
      for (let n = 0; n < 12; n++) {
        for await (const item of store.streamWithFeedback({ since: 3000 + n })) {
          expect(item.interaction.createdAt).toBe(3000 + n);
          break;
        }
      }
      await paused.return?.();
      expect(await store.counts()).toEqual({ interactions: 30, feedbackEvents: 0 });
    });

    it("streams only interactions with feedback of the given types, and whose input contains a text", async () => {
      await store.record(interaction("a", 1000, { input: "Hotel 还行 100%" }));
      await store.record(interaction("b", 2000, { input: "hotel 很好" }));
      await store.record(interaction("c", 3000, { input: "酒店 还行" }));
      await store.record(interaction("d", 4000, { input: "酒店 a_b" }));
      const event = (interactionId: string, type: "label_correct" | "copy") =>
        store.appendFeedback({
          interactionId,
          sessionHash: null,
          createdAt: 5000,
          ...(type === "copy"
            ? { type: "copy" as const, payload: {} }
            : { type: "label_correct" as const, payload: { label: "负面" } }),
        });
      await event("a", "label_correct");
      await event("b", "copy");
      await event("c", "label_correct");
      await event("c", "label_correct");
      const ids = async (query: Parameters<InteractionStore["streamWithFeedback"]>[0]) => {
        const seen: string[] = [];
        for await (const item of store.streamWithFeedback(query)) seen.push(item.interaction.id);
        return seen;
      };
      expect(await ids({ withFeedbackTypes: ["label_correct", "label_confirm"] })).toEqual(["a", "c"]);
      expect(await ids({ withFeedbackTypes: [] })).toEqual([]);
      expect(await ids({ inputContains: "HOTEL" })).toEqual(["a", "b"]);
      expect(await ids({ inputContains: "还行", withFeedbackTypes: ["label_correct"] })).toEqual(["a", "c"]);
      // LIKE's wildcards are literal text here.
      expect(await ids({ inputContains: "%" })).toEqual(["a"]);
      expect(await ids({ inputContains: "_" })).toEqual(["d"]);
      const [withEvents] = await Promise.all([store.streamWithFeedback({ inputContains: "酒店 还" })]);
      for await (const item of withEvents!)
        expect(item.events.map((e) => e.type)).toEqual(["label_correct", "label_correct"]);
    });
  });
}
