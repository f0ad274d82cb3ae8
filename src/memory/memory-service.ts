/**
 * Personal memory (the write-up's 记忆增强): learns lasting preferences from a user's chat messages and gives them
 * back to the chat model as context, per user, with the user in control (list, delete, forget, switch off).
 *
 * Whether it applies to a turn: a version with `memory: off` never uses it (so the rollout can A/B memory), and
 * otherwise the user's own switch decides, or MEMORY for users who never chose. Nothing is learned while it is off.
 */
import { randomUUID } from "node:crypto";
import type { MemorySettings } from "./memory-settings.js";
import { AppError } from "../errors.js";
import { redactPersonalData } from "../feedback/redact-personal-data.js";
import type { PromptDefinition } from "../tasks/prompt-definition.js";
import { extractMemoryFacts } from "./core/extract-memory-facts.js";
import { memoryContext } from "./core/memory-context.js";
import type { MemoryEntry } from "./core/memory-fact.js";
import type { MemoryStore } from "./store/memory-store.js";

/** Longest text an entry keeps. */
export const maxMemoryEntryChars = 200;

export interface MemoryView {
  /** Whether memory applies to this user now (their switch, or the deployment default). */
  enabled: boolean;
  /** Whether the user chose (false = the deployment default applies). */
  chosen: boolean;
  entries: Pick<MemoryEntry, "id" | "key" | "text" | "createdAt" | "expiresAt" | "lastUsedAt" | "uses">[];
}

export interface MemoryService {
  /** Learns from the user's message (when memory is on for them and the version), then returns the prompt's memory. */
  forTurn(turn: {
    sessionHash: string;
    definition: PromptDefinition;
    userText: string;
    interactionId: string;
    countTokens: (text: string) => number;
  }): Promise<{ text: string; entryIds: string[] }>;
  view(sessionId: string | undefined): Promise<MemoryView>;
  delete(sessionId: string | undefined, id: string): Promise<void>;
  forget(sessionId: string | undefined): Promise<{ deleted: number }>;
  setEnabled(sessionId: string | undefined, enabled: boolean): Promise<MemoryView>;
  /** Admin: forget everything of one owner hash. */
  purge(ownerHash: string): Promise<{ deleted: number }>;
}

export interface MemoryServiceDeps {
  store: MemoryStore;
  settings: MemorySettings;
  hashIdentity: (id: string) => string;
  now: () => number;
  newId?: () => string;
}

export function createMemoryService(deps: MemoryServiceDeps): MemoryService {
  const { store, settings, now } = deps;
  const newId = deps.newId ?? randomUUID;
  const ownerOf = (sessionId: string | undefined) => {
    if (sessionId === undefined || sessionId === "") {
      throw new AppError("MEMORY_NOT_FOUND", "Memory belongs to a session: send its sessionId");
    }
    return deps.hashIdentity(sessionId);
  };
  const isOn = async (ownerHash: string) => (await store.enabled(ownerHash)) ?? settings.defaultOn;
  const view = async (ownerHash: string): Promise<MemoryView> => {
    const chosen = await store.enabled(ownerHash);
    const entries = await store.list(ownerHash, now());
    return {
      enabled: chosen ?? settings.defaultOn,
      chosen: chosen !== null,
      entries: entries.map(({ id, key, text, createdAt, expiresAt, lastUsedAt, uses }) => ({
        id,
        key,
        text,
        createdAt,
        expiresAt,
        lastUsedAt,
        uses,
      })),
    };
  };

  return {
    async forTurn({ sessionHash, definition, userText, interactionId, countTokens }) {
      if (definition.memory === "off" || !(await isOn(sessionHash))) return { text: "", entryIds: [] };
      const at = now();
      for (const fact of extractMemoryFacts(userText)) {
        const text = redactPersonalData(fact.text).slice(0, maxMemoryEntryChars);
        await store.remember(
          {
            ...fact,
            text,
            ownerHash: sessionHash,
            sourceInteractionId: interactionId,
            createdAt: at,
            expiresAt: at + settings.ttlMs,
          },
          { maxEntries: settings.maxEntries, newId },
        );
      }
      const { used, text } = memoryContext(
        await store.list(sessionHash, at),
        { tokens: settings.maxTokens, countTokens },
        at,
      );
      const entryIds = used.map((entry) => entry.id);
      await store.markUsed(sessionHash, entryIds, at);
      return { text, entryIds };
    },
    view: async (sessionId) => view(ownerOf(sessionId)),
    async delete(sessionId, id) {
      if (!(await store.delete(ownerOf(sessionId), id))) {
        throw new AppError("MEMORY_NOT_FOUND", "This session has no memory entry with that id");
      }
    },
    async forget(sessionId) {
      return { deleted: await store.forget(ownerOf(sessionId)) };
    },
    async setEnabled(sessionId, enabled) {
      const owner = ownerOf(sessionId);
      await store.setEnabled(owner, enabled, now());
      return view(owner);
    },
    async purge(ownerHash) {
      return { deleted: await store.forget(ownerHash) };
    },
  };
}
