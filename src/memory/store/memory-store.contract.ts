import { beforeEach, describe, expect, it } from "vitest";
import type { MemoryStore, NewMemoryEntry } from "./memory-store.js";

const day = 86_400_000;
const fact = (ownerHash: string, createdAt: number, extra: Partial<NewMemoryEntry> = {}): NewMemoryEntry => ({
  ownerHash,
  key: "name",
  subject: "",
  text: "用户希望被称为“小王”",
  sourceInteractionId: null,
  createdAt,
  expiresAt: createdAt + 30 * day,
  ...extra,
});

/** The rules every MemoryStore keeps (run against the in-memory, SQLite and PostgreSQL stores). */
export function memoryStoreContract(name: string, makeStore: () => Promise<MemoryStore>): void {
  describe(`MemoryStore contract: ${name}`, () => {
    let store: MemoryStore;
    let ids = 0;
    const options = { maxEntries: 3, newId: () => `m${++ids}` };
    beforeEach(async () => {
      store = await makeStore();
    });

    it("keeps one entry per key: a newer statement replaces the older", async () => {
      await store.remember(fact("a", 1000), options);
      const newer = await store.remember(fact("a", 2000, { text: "用户希望被称为“老王”" }), options);
      await store.remember(
        fact("a", 3000, { key: "preference", subject: "猫", text: "用户喜欢猫" }),
        options,
      );
      await store.remember(
        fact("a", 4000, { key: "preference", subject: "狗", text: "用户喜欢狗" }),
        options,
      );
      const listed = await store.list("a", 5000);
      expect(listed.map((entry) => entry.text)).toEqual(["用户喜欢狗", "用户喜欢猫", "用户希望被称为“老王”"]);
      expect(listed[2]).toEqual({ ...newer, lastUsedAt: null, uses: 0 });
    });

    it("never shows, changes or deletes another owner's entries", async () => {
      const mine = await store.remember(fact("a", 1000), options);
      await store.remember(fact("b", 1000), options);
      expect((await store.list("b", 2000)).map((entry) => entry.ownerHash)).toEqual(["b"]);
      expect(await store.delete("b", mine.id)).toBe(false);
      await store.markUsed("b", [mine.id], 2000);
      expect(await store.list("a", 2000)).toEqual([mine]);
      expect(await store.forget("b")).toBe(1);
      expect(await store.list("a", 2000)).toEqual([mine]);
      expect(await store.delete("a", mine.id)).toBe(true);
      expect(await store.list("a", 2000)).toEqual([]);
    });

    it("keeps at most maxEntries per owner (the oldest go) and hides then deletes expired entries", async () => {
      for (const [i, subject] of ["1", "2", "3", "4"].entries()) {
        await store.remember(fact("a", 1000 + i, { key: "preference", subject, text: subject }), options);
      }
      expect((await store.list("a", 2000)).map((entry) => entry.text)).toEqual(["4", "3", "2"]);
      expect(await store.list("a", 1000 + 30 * day + 2)).toHaveLength(1);
      expect(await store.deleteExpired(1000 + 30 * day + 2)).toBe(2);
      expect(await store.forget("a")).toBe(1);
    });

    it("counts uses, and keeps the owner's own switch (also across a forget)", async () => {
      const entry = await store.remember(fact("a", 1000), options);
      await store.markUsed("a", [entry.id], 1500);
      await store.markUsed("a", [entry.id], 1600);
      expect(await store.list("a", 2000)).toEqual([{ ...entry, lastUsedAt: 1600, uses: 2 }]);
      expect(await store.enabled("a")).toBeNull();
      await store.setEnabled("a", false, 1700);
      expect(await store.enabled("a")).toBe(false);
      await store.forget("a");
      expect(await store.enabled("a")).toBe(false);
      await store.setEnabled("a", true, 1800);
      expect([await store.enabled("a"), await store.enabled("b")]).toEqual([true, null]);
    });
  });
}
