import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import { settledTurns, type Turn } from "./chat-turns.js";

/** One stored conversation: its turns as they were last shown. */
export interface StoredConversation {
  id: string;
  /** The first message, shortened: what the history list shows. */
  title: string;
  createdAt: number;
  updatedAt: number;
  turns: Turn[];
}

/** A row of the history list. */
export type ConversationSummary = Pick<StoredConversation, "id" | "title" | "updatedAt">;

interface ChatDatabase extends DBSchema {
  conversations: { key: string; value: StoredConversation; indexes: { updatedAt: number } };
}

/** Conversations kept in the browser (IndexedDB), newest first; nothing leaves the browser. */
export interface ChatHistory {
  list(): Promise<ConversationSummary[]>;
  get(id: string): Promise<StoredConversation | undefined>;
  save(conversation: StoredConversation): Promise<void>;
  remove(id: string): Promise<void>;
}

const databaseName = "promptloop-chat";
/** How many conversations are kept; older ones are dropped when a new one is saved. */
export const maxStoredConversations = 50;
const titleChars = 40;

export function titleOf(turns: readonly Turn[]): string {
  const first = turns[0]?.userText.replace(/\s+/g, " ").trim() ?? "";
  const chars = [...first];
  return chars.length > titleChars ? `${chars.slice(0, titleChars).join("")}…` : first;
}

/** The conversation to store for `turns` (settled: a reply cut off by a reload is kept as stopped). */
export function conversationOf(
  id: string,
  turns: readonly Turn[],
  createdAt: number,
  now: number,
): StoredConversation {
  return { id, title: titleOf(turns), createdAt, updatedAt: now, turns: settledTurns(turns) };
}

/**
 * Opens the history in the browser's IndexedDB; null where there is none or it refuses (some private modes), so the
 * chat still works, only without keeping conversations.
 */
export async function openChatHistory(): Promise<ChatHistory | null> {
  if (typeof indexedDB === "undefined") return null;
  let db: IDBPDatabase<ChatDatabase>;
  try {
    db = await openDB<ChatDatabase>(databaseName, 1, {
      upgrade(database) {
        database.createObjectStore("conversations", { keyPath: "id" }).createIndex("updatedAt", "updatedAt");
      },
    });
  } catch {
    return null;
  }
  return {
    async list() {
      const rows = await db.getAllFromIndex("conversations", "updatedAt");
      return rows.reverse().map(({ id, title, updatedAt }) => ({ id, title, updatedAt }));
    },
    get: (id) => db.get("conversations", id),
    async save(conversation) {
      const tx = db.transaction("conversations", "readwrite");
      await tx.store.put(conversation);
      // Keep the newest conversations only.
      const keys = await tx.store.index("updatedAt").getAllKeys();
      for (const key of keys.slice(0, Math.max(0, keys.length - maxStoredConversations)))
        await tx.store.delete(key);
      await tx.done;
    },
    remove: (id) => db.delete("conversations", id),
  };
}
