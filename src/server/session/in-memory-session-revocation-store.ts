import type { SessionRevocationStore } from "./session-revocation-store.js";

/** Revocations in this process only: for tests and tools that run a server without a database. */
export function createInMemorySessionRevocationStore(): SessionRevocationStore {
  const revoked = new Map<string, number>();
  return {
    async revoke({ id, expiresAt, now }) {
      for (const [known, until] of revoked) if (until <= now) revoked.delete(known);
      if (expiresAt > now) revoked.set(id, Math.max(expiresAt, revoked.get(id) ?? 0));
    },
    async isRevoked(id) {
      return revoked.has(id);
    },
  };
}
