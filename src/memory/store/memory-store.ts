import type { MemoryEntry, MemoryFact } from "../core/memory-fact.js";

/** A fact to remember for an owner; the store gives it an id, or replaces the owner's entry with the same key. */
export interface NewMemoryEntry extends MemoryFact {
  ownerHash: string;
  sourceInteractionId: string | null;
  createdAt: number;
  expiresAt: number;
}

/**
 * Personal memory, per owner (the salted hash of a session id or an app's userId). Every read and delete names the
 * owner: there is no way to reach another owner's entries. Deletes remove rows (no soft delete).
 */
export interface MemoryStore {
  /**
   * Stores the fact as the owner's entry for its key and subject, replacing an older one (a contradicting statement
   * wins), then drops the owner's oldest entries beyond `maxEntries`. Returns the stored entry.
   */
  remember(entry: NewMemoryEntry, options: { maxEntries: number; newId: () => string }): Promise<MemoryEntry>;
  /** The owner's unexpired entries, newest first. */
  list(ownerHash: string, now: number): Promise<MemoryEntry[]>;
  /** Notes that these entries went into a prompt. */
  markUsed(ownerHash: string, ids: readonly string[], now: number): Promise<void>;
  /** Deletes one of the owner's entries; false when the owner has no entry with that id. */
  delete(ownerHash: string, id: string): Promise<boolean>;
  /** Deletes all of the owner's entries (their switch stays: off means off); returns how many went. */
  forget(ownerHash: string): Promise<number>;
  /** The owner's own switch: null when they never chose (the deployment's MEMORY default applies). */
  enabled(ownerHash: string): Promise<boolean | null>;
  setEnabled(ownerHash: string, enabled: boolean, now: number): Promise<void>;
  /** Deletes every expired entry; returns how many. */
  deleteExpired(now: number): Promise<number>;
}
