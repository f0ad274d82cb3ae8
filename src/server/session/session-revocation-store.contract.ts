import { describe, expect, it } from "vitest";
import type { SessionRevocationStore } from "./session-revocation-store.js";

const hour = 3_600_000;
const now = Date.parse("2026-12-06T09:00:00Z");

/** What every SessionRevocationStore must do, run against each implementation. */
export function sessionRevocationStoreContract(
  name: string,
  open: () => Promise<SessionRevocationStore>,
): void {
  describe(`SessionRevocationStore (${name})`, () => {
    it("knows a revoked session, and only that one", async () => {
      const store = await open();
      expect(await store.isRevoked("s-1")).toBe(false);
      await store.revoke({ id: "s-1", expiresAt: now + hour, now });
      expect(await store.isRevoked("s-1")).toBe(true);
      expect(await store.isRevoked("s-2")).toBe(false);
    });

    it("takes the same revocation twice without error", async () => {
      const store = await open();
      await store.revoke({ id: "s-1", expiresAt: now + hour, now });
      await store.revoke({ id: "s-1", expiresAt: now + hour, now: now + 1000 });
      expect(await store.isRevoked("s-1")).toBe(true);
    });

    it("forgets revocations of sessions that have expired anyway, at the next sign-out", async () => {
      const store = await open();
      await store.revoke({ id: "old", expiresAt: now + hour, now });
      await store.revoke({ id: "new", expiresAt: now + 3 * hour, now: now + 2 * hour });
      expect(await store.isRevoked("old")).toBe(false);
      expect(await store.isRevoked("new")).toBe(true);
    });
  });
}
