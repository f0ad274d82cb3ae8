import { AppError, isAppError } from "../errors.js";

/** What went wrong in the database, in the terms an operator acts on. */
export type StorageFailureKind =
  | "busy" // another writer held the lock past the busy timeout
  | "full" // the disk (or the database's size limit) is full
  | "corrupt" // the file or an index is damaged: restore a backup (`promptloop doctor` tells)
  | "readonly" // the database refuses writes
  | "unavailable" // PostgreSQL is down, restarting or unreachable
  | "io" // any other I/O failure of the database
  | "conflict"; // a concurrent change won (unique key, serialization failure): the caller may retry

export interface StorageFailure {
  kind: StorageFailureKind;
  /** The driver's own code (`SQLITE_FULL`, `57P01`, `ECONNREFUSED`), for the log and /api/health. */
  driverCode: string;
  message: string;
}

const sqliteKinds: [prefix: string, kind: StorageFailureKind][] = [
  ["SQLITE_BUSY", "busy"],
  ["SQLITE_LOCKED", "busy"],
  ["SQLITE_FULL", "full"],
  ["SQLITE_CORRUPT", "corrupt"],
  ["SQLITE_NOTADB", "corrupt"],
  ["SQLITE_READONLY", "readonly"],
  ["SQLITE_IOERR", "io"],
  ["SQLITE_CANTOPEN", "io"],
  ["SQLITE_PROTOCOL", "io"],
  ["SQLITE_CONSTRAINT_UNIQUE", "conflict"],
  ["SQLITE_CONSTRAINT_PRIMARYKEY", "conflict"],
  ["SQLITE_CONSTRAINT_FOREIGNKEY", "conflict"],
];

/** PostgreSQL SQLSTATEs (exact codes first, then classes of two characters). */
const postgresKinds: [prefix: string, kind: StorageFailureKind][] = [
  ["53100", "full"],
  ["40001", "conflict"],
  ["40P01", "conflict"],
  ["23505", "conflict"],
  ["23503", "conflict"],
  ["55P03", "busy"],
  ["25006", "readonly"],
  ["XX001", "corrupt"],
  ["XX002", "corrupt"],
  ["08", "unavailable"],
  ["57P", "unavailable"],
  ["53", "unavailable"],
  ["58", "io"],
];

/** File-system errors of DATA_DIR (reports, the SQLite file's directory). */
const fileSystemKinds: Record<string, StorageFailureKind> = {
  ENOSPC: "full",
  EDQUOT: "full",
  EROFS: "readonly",
  EIO: "io",
};

const networkCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
]);

/** pg's own errors for a lost or unobtainable connection carry no code, only these messages. */
const pgConnectionMessages = [
  "Connection terminated",
  "timeout exceeded when trying to connect",
  "Client has encountered a connection error",
  "Cannot use a pool after calling end",
  "Client was closed and is not queryable",
];

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The storage failure behind `error` (walking its causes), or null when it is no database failure. */
export function classifyStorageError(error: unknown): StorageFailure | null {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = codeOf(current);
    const message = current.message;
    if (code?.startsWith("SQLITE_")) {
      const kind = sqliteKinds.find(([prefix]) => code.startsWith(prefix))?.[1];
      if (kind) return { kind, driverCode: code, message };
    } else if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) {
      const kind = postgresKinds.find(([prefix]) => code.startsWith(prefix))?.[1];
      if (kind) return { kind, driverCode: code, message };
    } else if (code !== undefined && fileSystemKinds[code] !== undefined) {
      return { kind: fileSystemKinds[code], driverCode: code, message };
    } else if (code !== undefined && networkCodes.has(code)) {
      return { kind: "unavailable", driverCode: code, message };
    } else if (pgConnectionMessages.some((text) => message.includes(text))) {
      return { kind: "unavailable", driverCode: "CONNECTION_LOST", message };
    }
    current = current.cause;
  }
  return null;
}

const sentences: Record<StorageFailureKind, string> = {
  busy: "The database is busy (another writer held it too long); retry",
  full: "The database's disk is full; nothing was stored, retry later",
  corrupt: "The database file is damaged; nothing was stored (operators: run `promptloop doctor`)",
  readonly: "The database refuses writes; nothing was stored, retry later",
  unavailable: "The database is unavailable; nothing was stored, retry",
  io: "The database could not be read or written; retry",
  conflict: "A concurrent change won; reload and retry",
};

/**
 * The AppError a storage failure answers with: 409 CONFLICT when a concurrent change won, otherwise 503
 * STORAGE_FAILED. AppErrors pass through; null when `error` is no storage failure.
 */
export function toStorageAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  const failure = classifyStorageError(error);
  if (!failure) return null;
  return new AppError(failure.kind === "conflict" ? "CONFLICT" : "STORAGE_FAILED", sentences[failure.kind], {
    cause: error,
    details: { storage: failure.kind },
  });
}
