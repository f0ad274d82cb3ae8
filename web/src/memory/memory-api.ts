import { requestOk } from "../api/api-error.js";

/** One remembered preference, as GET /api/memory lists it (docs/memory.md). */
export interface MemoryEntry {
  id: string;
  key: string;
  text: string;
  /** Epoch milliseconds, like the other times below. */
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number | null;
  uses: number;
}

/** The session's memory: whether it applies now, whether the user chose that, and its entries. */
export interface MemoryView {
  enabled: boolean;
  /** false while the deployment default (MEMORY) applies. */
  chosen: boolean;
  entries: MemoryEntry[];
}

const query = (sessionId: string) => `sessionId=${encodeURIComponent(sessionId)}`;

function viewOf(body: unknown): MemoryView {
  const value = (typeof body === "object" && body !== null ? body : {}) as Partial<MemoryView>;
  return {
    enabled: value.enabled === true,
    chosen: value.chosen === true,
    entries: Array.isArray(value.entries) ? value.entries : [],
  };
}

/** GET /api/memory: the session's entries and switch. */
export async function fetchMemory(fetchFn: typeof fetch, sessionId: string, signal?: AbortSignal) {
  const response = await requestOk(fetchFn, `/api/memory?${query(sessionId)}`, signal ? { signal } : {});
  return viewOf(await response.json());
}

/** DELETE /api/memory/:id: forgets one entry. */
export async function deleteMemoryEntry(fetchFn: typeof fetch, sessionId: string, id: string) {
  await requestOk(fetchFn, `/api/memory/${encodeURIComponent(id)}?${query(sessionId)}`, { method: "DELETE" });
}

/** DELETE /api/memory: forgets everything this session has. */
export async function forgetAllMemory(fetchFn: typeof fetch, sessionId: string) {
  await requestOk(fetchFn, `/api/memory?${query(sessionId)}`, { method: "DELETE" });
}

/** PUT /api/memory/switch: the user's own on/off choice; answers with the new view. */
export async function setMemoryEnabled(fetchFn: typeof fetch, sessionId: string, enabled: boolean) {
  const response = await requestOk(fetchFn, "/api/memory/switch", {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sessionId, enabled }),
  });
  return viewOf(await response.json());
}
