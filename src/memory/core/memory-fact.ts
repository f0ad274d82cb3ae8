/**
 * Personal memory (the write-up's 记忆增强): lasting preferences and facts a user states in chat, kept per user and
 * shown to the chat model as context. Pure types.
 */

/**
 * What a fact is about. One entry per key and user: a newer statement about the same key (叫我小王, then 叫我老王)
 * replaces the older one, so memory never holds two contradicting answers.
 */
export const memoryKeys = [
  "name",
  "reply_length",
  "reply_language",
  "diet",
  "allergy",
  "location",
  "occupation",
  "preference",
] as const;
export type MemoryKey = (typeof memoryKeys)[number];

/** A statement found in a user's message, before it is stored. */
export interface MemoryFact {
  key: MemoryKey;
  /** For `preference`, which one (e.g. the liked thing), so different preferences don't replace each other. */
  subject: string;
  /** The fact as the model will read it, in the user's language, e.g. 用户希望被称为"小王". */
  text: string;
}

/** A stored entry. */
export interface MemoryEntry extends MemoryFact {
  id: string;
  /** Salted hash of the session id (or of an integrating app's userId): whose entry this is. */
  ownerHash: string;
  /** The interaction whose user message stated it, when known. */
  sourceInteractionId: string | null;
  createdAt: number;
  expiresAt: number;
  /** When the entry was last put into a prompt, and how often. */
  lastUsedAt: number | null;
  uses: number;
}
