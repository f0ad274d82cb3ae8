import type { SafeStorage } from "./safe-storage.js";

const storageKey = "promptloop.sessionId";

/**
 * A random UUID v4. `crypto.randomUUID` exists only in secure contexts (https or localhost), but the
 * server is often opened as http://<lan-ip>:8080, so fall back to getRandomValues, which exists everywhere.
 */
export function randomId(
  source: Pick<Crypto, "getRandomValues"> & Partial<Pick<Crypto, "randomUUID">>,
): string {
  if (typeof source.randomUUID === "function") return source.randomUUID();
  const bytes = source.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The browser's session id: created once, then kept in localStorage and sent with every call. */
export function loadSessionId(storage: SafeStorage, makeId: () => string): string {
  const existing = storage.get(storageKey);
  if (existing) return existing;
  const id = makeId();
  storage.set(storageKey, id);
  return id;
}
