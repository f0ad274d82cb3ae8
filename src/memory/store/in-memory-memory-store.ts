import type { MemoryEntry } from "../core/memory-fact.js";
import type { MemoryStore } from "./memory-store.js";

/** The MemoryStore for tests and `createTestServices`: the same rules as the SQL store, in a Map. */
export function createInMemoryMemoryStore(): MemoryStore {
  const entries = new Map<string, MemoryEntry>();
  const switches = new Map<string, boolean>();
  const owned = (ownerHash: string) => [...entries.values()].filter((entry) => entry.ownerHash === ownerHash);
  return {
    async remember(entry, { maxEntries, newId }) {
      const same = owned(entry.ownerHash).find((e) => e.key === entry.key && e.subject === entry.subject);
      if (same) entries.delete(same.id);
      const stored: MemoryEntry = { ...entry, id: newId(), lastUsedAt: null, uses: 0 };
      entries.set(stored.id, stored);
      const surplus = owned(entry.ownerHash)
        .toSorted((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id))
        .slice(maxEntries);
      for (const old of surplus) entries.delete(old.id);
      return { ...stored };
    },
    async list(ownerHash, now) {
      return owned(ownerHash)
        .filter((entry) => entry.expiresAt > now)
        .toSorted((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id))
        .map((entry) => ({ ...entry }));
    },
    async markUsed(ownerHash, ids, now) {
      for (const id of ids) {
        const entry = entries.get(id);
        if (entry?.ownerHash === ownerHash)
          entries.set(id, { ...entry, lastUsedAt: now, uses: entry.uses + 1 });
      }
    },
    async delete(ownerHash, id) {
      if (entries.get(id)?.ownerHash !== ownerHash) return false;
      return entries.delete(id);
    },
    async forget(ownerHash) {
      const mine = owned(ownerHash);
      for (const entry of mine) entries.delete(entry.id);
      return mine.length;
    },
    async enabled(ownerHash) {
      return switches.get(ownerHash) ?? null;
    },
    async setEnabled(ownerHash, enabled) {
      switches.set(ownerHash, enabled);
    },
    async deleteExpired(now) {
      const expired = [...entries.values()].filter((entry) => entry.expiresAt <= now);
      for (const entry of expired) entries.delete(entry.id);
      return expired.length;
    },
  };
}
