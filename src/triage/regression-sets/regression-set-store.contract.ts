import { beforeEach, describe, expect, it } from "vitest";
import type { Interaction, InteractionStore } from "../../feedback/store/interaction-store.js";
import type { RegressionSetStore } from "./regression-set-store.js";

/** Every RegressionSetStore must pass this suite; `interactions` holds the interactions items refer to. */
export function regressionSetStoreContract(
  name: string,
  create: () => Promise<{ sets: RegressionSetStore; interactions: InteractionStore }>,
): void {
  describe(`RegressionSetStore contract: ${name}`, () => {
    let sets: RegressionSetStore;
    let interactions: InteractionStore;
    beforeEach(async () => {
      ({ sets, interactions } = await create());
    });
    const record = (id: string, createdAt: number, overrides: Partial<Interaction> = {}) =>
      interactions.record({
        id,
        task: "sentiment",
        promptVersionId: "sentiment@v1",
        parentId: null,
        sessionHash: `session-${id}`,
        userHash: null,
        input: `input ${id}`,
        output: "正面",
        label: "正面",
        confidence: 0.7,
        latencyMs: 10,
        status: "ok",
        errorCode: null,
        experimentId: null,
        arm: null,
        createdAt,
        completedAt: createdAt + 10,
        ...overrides,
      });
    const by = (actor: string, at: number) => ({ actor, at });

    it("creates, finds, lists newest first, renames and deletes sets, one name per task", async () => {
      const first = await sets.create(
        { id: "s1", task: "sentiment", name: "讽刺" },
        by("console:alice", 1000),
      );
      expect(first).toEqual({
        id: "s1",
        task: "sentiment",
        name: "讽刺",
        createdBy: "console:alice",
        createdAt: 1000,
        updatedAt: 1000,
        items: 0,
      });
      await sets.create({ id: "s2", task: "intent", name: "讽刺" }, by("api:admin", 2000));
      await expect(
        sets.create({ id: "s3", task: "sentiment", name: "讽刺" }, by("x", 3000)),
      ).rejects.toThrow();
      expect((await sets.list()).map((set) => set.id)).toEqual(["s2", "s1"]);
      expect((await sets.list("sentiment")).map((set) => set.id)).toEqual(["s1"]);
      expect((await sets.findByName("intent", "讽刺"))?.id).toBe("s2");
      expect(await sets.findByName("intent", "none")).toBeUndefined();
      expect(await sets.rename("s1", "转折", by("console:bob", 4000))).toBe(true);
      expect(await sets.get("s1")).toMatchObject({ name: "转折", updatedAt: 4000 });
      expect(await sets.rename("missing", "x", by("x", 1))).toBe(false);
      expect(await sets.delete("s2", by("console:bob", 5000))).toBe(true);
      expect(await sets.delete("s2", by("console:bob", 5000))).toBe(false);
      expect(await sets.get("s2")).toBeUndefined();
    });

    it("adds, relabels and removes items, in the order added, with what to replay", async () => {
      await record("a", 100, { input: "还行吧", label: "正面" });
      await record("b", 200, { input: "很差", label: "负面" });
      await sets.create({ id: "s1", task: "sentiment", name: "set" }, by("console:alice", 1000));
      expect(
        await sets.putItem(
          "s1",
          { interactionId: "b", expectedLabel: "正面", expectedSource: "operator" },
          by("o", 1100),
        ),
      ).toEqual({ added: true });
      expect(
        await sets.putItem(
          "s1",
          { interactionId: "a", expectedLabel: "负面", expectedSource: "correction" },
          by("o", 1200),
        ),
      ).toEqual({ added: true });
      expect(
        await sets.putItem(
          "s1",
          { interactionId: "a", expectedLabel: "负面", expectedSource: "correction" },
          by("o", 1300),
        ),
      ).toEqual({ added: false });
      expect(
        await sets.putItem(
          "s1",
          { interactionId: "b", expectedLabel: "负面", expectedSource: "operator" },
          by("o", 1400),
        ),
      ).toEqual({ added: false });
      const items = await sets.items("s1");
      expect(items).toEqual([
        {
          interactionId: "b",
          expectedLabel: "负面",
          expectedSource: "operator",
          addedBy: "o",
          addedAt: 1100,
          input: "很差",
          promptVersionId: "sentiment@v1",
          predicted: "负面",
          createdAt: 200,
        },
        expect.objectContaining({
          interactionId: "a",
          expectedLabel: "负面",
          expectedSource: "correction",
          input: "还行吧",
        }),
      ]);
      expect(await sets.get("s1")).toMatchObject({ items: 2, updatedAt: 1400 });
      expect(await sets.setsWith("a")).toEqual([{ id: "s1", task: "sentiment", name: "set" }]);
      expect(await sets.removeItem("s1", "a", by("o", 1500))).toBe(true);
      expect(await sets.removeItem("s1", "a", by("o", 1600))).toBe(false);
      expect((await sets.items("s1")).map((item) => item.interactionId)).toEqual(["b"]);
      expect(await sets.setsWith("a")).toEqual([]);
    });

    it("keeps an audit line of every change, with its actor, after the set is gone", async () => {
      await record("a", 100);
      await sets.create({ id: "s1", task: "sentiment", name: "one" }, by("console:alice", 1000));
      await sets.rename("s1", "two", by("console:bob", 1100));
      await sets.putItem(
        "s1",
        { interactionId: "a", expectedLabel: "负面", expectedSource: "inferred" },
        by("api:ci", 1200),
      );
      await sets.putItem(
        "s1",
        { interactionId: "a", expectedLabel: "正面", expectedSource: "operator" },
        by("api:ci", 1250),
      );
      await sets.removeItem("s1", "a", by("console:alice", 1300));
      await sets.delete("s1", by("console:carol", 1400));
      const log = await sets.changes("s1", 10);
      expect(log.map((change) => [change.action, change.actor, change.at, change.interactionId])).toEqual([
        ["delete", "console:carol", 1400, null],
        ["remove", "console:alice", 1300, "a"],
        ["relabel", "api:ci", 1250, "a"],
        ["add", "api:ci", 1200, "a"],
        ["rename", "console:bob", 1100, null],
        ["create", "console:alice", 1000, null],
      ]);
      expect(log[4]!.detail).toEqual({ from: "one", to: "two" });
      expect(log[2]!.detail).toEqual({ expectedLabel: "正面", expectedSource: "operator", from: "负面" });
      expect(await sets.changes("s1", 2)).toHaveLength(2);
    });

    it("drops an item when its interaction is erased", async () => {
      await record("a", 100);
      await record("b", 200);
      await sets.create({ id: "s1", task: "sentiment", name: "one" }, by("o", 1000));
      await sets.putItem(
        "s1",
        { interactionId: "a", expectedLabel: "负面", expectedSource: "operator" },
        by("o", 1100),
      );
      await sets.putItem(
        "s1",
        { interactionId: "b", expectedLabel: "负面", expectedSource: "operator" },
        by("o", 1200),
      );
      await interactions.eraseSession("session-a", { actor: "api:admin", at: 1300 });
      expect((await sets.items("s1")).map((item) => item.interactionId)).toEqual(["b"]);
      expect(await sets.get("s1")).toMatchObject({ items: 1 });
    });
  });
}
