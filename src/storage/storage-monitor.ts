import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type { Kysely } from "kysely";
import { AppError } from "../errors.js";
import type { DatabaseDialect } from "./database-dialect.js";
import type { Database } from "./database-schema.js";
import { classifyStorageError, toStorageAppError, type StorageFailureKind } from "./storage-error.js";
import type { StorageErrorLog } from "./storage-error-log.js";

/** What /api/health says about the database. */
export interface StorageHealth {
  dialect: DatabaseDialect;
  /** The SQLite file, or PostgreSQL's `host:port/database` (never the password). */
  location: string;
  /** A write probe (rolled back) succeeded just now, and free space is above the floor. */
  writable: boolean;
  /** Free bytes on DATA_DIR's file system; null on PostgreSQL (the server's disk is not ours to see). */
  freeBytes: number | null;
  /** STORAGE_MIN_FREE_MB in bytes: below it, model routes are refused before they spend the model. */
  minFreeBytes: number;
  /** Why `writable` is false, when it is. */
  problem: string | null;
  /** The last database failure seen by any query, and when (ISO time); null if none since start. */
  lastError: { kind: StorageFailureKind; code: string; message: string; at: string } | null;
}

export interface StorageMonitor {
  health(): Promise<StorageHealth>;
  /**
   * Throws 503 STORAGE_FAILED unless an interaction could be recorded right now: model routes call it before they
   * spend the model, so a full disk or a dead database refuses the request instead of computing an answer that
   * can't be stored.
   */
  assertCanRecord(): Promise<void>;
}

/** Thrown inside the probe's transaction to roll it back. */
class ProbeRollback extends Error {}

/** The size of a typical interaction row: a probe that fits shows that a real row would. */
const probeValue = "x".repeat(2048);

export function createStorageMonitor(options: {
  dialect: DatabaseDialect;
  location: string;
  db: Kysely<Database>;
  errors: StorageErrorLog;
  /** A path on DATA_DIR's file system (SQLite), or null. */
  freeSpacePath: string | null;
  minFreeBytes: number;
  now?: () => number;
}): StorageMonitor {
  const now = options.now ?? Date.now;

  function freeBytes(): number | null {
    if (options.freeSpacePath === null) return null;
    try {
      const stats = fs.statfsSync(options.freeSpacePath);
      return stats.bavail * stats.bsize;
    } catch {
      return null;
    }
  }

  /** Inserts a row the size of an interaction inside a transaction and rolls it back: no commit, no fsync. */
  async function probe(): Promise<unknown> {
    try {
      await options.db.transaction().execute(async (trx) => {
        await trx
          .insertInto("meta")
          .values({ key: `write-probe:${randomUUID()}`, value: probeValue, updated_at: now() })
          .execute();
        throw new ProbeRollback();
      });
    } catch (error) {
      if (error instanceof ProbeRollback) return null;
      options.errors.note(error);
      return error;
    }
    return null;
  }

  async function check(): Promise<{ free: number | null; problem: string | null; error: unknown }> {
    const free = freeBytes();
    // Damage does not heal: once any query met it, storage stays unwritable until an operator restores a backup.
    const last = options.errors.lastFailure();
    if (last?.kind === "corrupt") {
      return { free, problem: `corrupt: ${last.message} (run \`promptloop doctor\`)`, error: null };
    }
    if (free !== null && free < options.minFreeBytes) {
      return {
        free,
        problem: `only ${Math.floor(free / 1048576)} MB free on the data disk (STORAGE_MIN_FREE_MB is ${Math.floor(options.minFreeBytes / 1048576)})`,
        error: null,
      };
    }
    const error = await probe();
    if (error === null) return { free, problem: null, error: null };
    const failure = classifyStorageError(error);
    return { free, problem: failure ? `${failure.kind}: ${failure.message}` : String(error), error };
  }

  return {
    async health() {
      const { free, problem } = await check();
      const last = options.errors.lastFailure();
      return {
        dialect: options.dialect,
        location: options.location,
        writable: problem === null,
        freeBytes: free,
        minFreeBytes: options.minFreeBytes,
        problem,
        lastError: last && {
          kind: last.kind,
          code: last.driverCode,
          message: last.message,
          at: new Date(last.at).toISOString(),
        },
      };
    },

    async assertCanRecord() {
      const { problem, error } = await check();
      if (problem === null) return;
      throw (
        (error !== null ? toStorageAppError(error) : null) ??
        new AppError("STORAGE_FAILED", `Nothing can be stored right now (${problem}); retry later`)
      );
    },
  };
}
