import type { LogEvent } from "kysely";
import { classifyStorageError, type StorageFailure } from "./storage-error.js";

/** The last database failure, as /api/health shows it. */
export interface RecordedStorageFailure extends StorageFailure {
  /** Epoch ms. */
  at: number;
}

/**
 * Watches every query through Kysely's `log` hook (and the PostgreSQL pool's idle-connection errors): remembers the
 * last failure and the last write that succeeded, so health can say whether storage has recovered since.
 */
export interface StorageErrorLog {
  /** Kysely's `log` option. */
  observe(event: LogEvent): void;
  /** A failure seen outside a query (a pooled connection dropped by a restarting server). */
  note(error: unknown): void;
  lastFailure(): RecordedStorageFailure | null;
  /** Epoch ms of the last write that succeeded, or null. */
  lastWriteAt(): number | null;
}

const writeKinds = new Set(["InsertQueryNode", "UpdateQueryNode", "DeleteQueryNode", "MergeQueryNode"]);

export function createStorageErrorLog(now: () => number = Date.now): StorageErrorLog {
  let failure: RecordedStorageFailure | null = null;
  let writeAt: number | null = null;
  const note = (error: unknown) => {
    const classified = classifyStorageError(error);
    // Conflicts are answers (409), not failures of the storage.
    if (classified && classified.kind !== "conflict") failure = { ...classified, at: now() };
  };
  return {
    observe(event) {
      if (event.level === "error") note(event.error);
      else if (writeKinds.has(event.query.query.kind)) writeAt = now();
    },
    note,
    lastFailure: () => failure,
    lastWriteAt: () => writeAt,
  };
}
