import { beforeEach, describe, expect, it } from "vitest";
import type { JobLeaseStore } from "./job-lease-store.js";

const lease = { job: "analysis", leaseMs: 1000 };

/** The rules every JobLeaseStore keeps (run against the in-memory, SQLite and PostgreSQL stores). */
export function jobLeaseStoreContract(name: string, makeStore: () => Promise<JobLeaseStore>): void {
  describe(`JobLeaseStore contract: ${name}`, () => {
    let store: JobLeaseStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it("gives a tick to one replica only, even when they ask at once", async () => {
      const claims = await Promise.all(
        ["a", "b", "c", "d"].map((holder) => store.claim({ ...lease, tickAt: 60_000, holder, now: 60_010 })),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store.claim({ ...lease, tickAt: 60_000, holder: "e", now: 60_500 })).toBe(false);
    });

    it("lets the next tick go to anyone once the holder finished", async () => {
      expect(await store.claim({ ...lease, tickAt: 60_000, holder: "a", now: 60_000 })).toBe(true);
      await store.finish({ job: "analysis", tickAt: 60_000, holder: "a", now: 60_100 });
      expect(await store.claim({ ...lease, tickAt: 61_000, holder: "b", now: 61_000 })).toBe(true);
    });

    it("skips ticks while a live holder is still running, and takes over from one that stopped renewing", async () => {
      expect(await store.claim({ ...lease, tickAt: 60_000, holder: "a", now: 60_000 })).toBe(true);
      expect(await store.renew({ ...lease, tickAt: 60_000, holder: "a", now: 60_900 })).toBe(true);
      // Renewed until 61_900: the tick at 61_000 finds it alive.
      expect(await store.claim({ ...lease, tickAt: 61_000, holder: "b", now: 61_000 })).toBe(false);
      // "a" was killed: no more renewals; at 62_000 its lease has run out.
      expect(await store.claim({ ...lease, tickAt: 62_000, holder: "b", now: 62_000 })).toBe(true);
      expect(await store.renew({ ...lease, tickAt: 60_000, holder: "a", now: 62_100 })).toBe(false);
    });

    it("keeps jobs apart, and never hands out an older tick again", async () => {
      expect(await store.claim({ ...lease, tickAt: 60_000, holder: "a", now: 60_000 })).toBe(true);
      expect(await store.claim({ ...lease, job: "rollout", tickAt: 60_000, holder: "b", now: 60_000 })).toBe(
        true,
      );
      await store.finish({ job: "analysis", tickAt: 60_000, holder: "a", now: 60_100 });
      expect(await store.claim({ ...lease, tickAt: 59_000, holder: "c", now: 60_200 })).toBe(false);
    });
  });
}
