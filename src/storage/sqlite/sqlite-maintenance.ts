import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { AppError } from "../../errors.js";
import { migrationsFor } from "../migrations/index.js";

/** `PRAGMA integrity_check`'s findings (empty when the file is sound): slow, reads every page. */
export function integrityProblems(file: string, limit = 20): string[] {
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const rows = sqlite.pragma(`integrity_check(${limit})`) as { integrity_check: string }[];
    const found = rows.map((row) => row.integrity_check);
    return found.join() === "ok" ? [] : found;
  } finally {
    sqlite.close();
  }
}

/** The migrations recorded in a database file, oldest first. */
export function appliedMigrations(file: string): string[] {
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const table = sqlite
      .prepare("select name from sqlite_master where type = 'table' and name = 'kysely_migration'")
      .get();
    if (!table) return [];
    return (
      sqlite.prepare("select name from kysely_migration order by name").all() as { name: string }[]
    ).map((row) => row.name);
  } finally {
    sqlite.close();
  }
}

/**
 * An online backup with SQLite's backup API: consistent even while the service (or another process) writes, which
 * copying the file is not. Checked with `integrity_check` afterwards.
 */
export async function backupSqliteDatabase(
  liveFile: string,
  destination: string,
  onProgress?: (done: number, total: number) => void,
): Promise<{ bytes: number; pages: number }> {
  if (fs.existsSync(destination)) {
    throw new AppError(
      "CONFLICT",
      `${destination} exists; choose a new file name (backups are never overwritten)`,
    );
  }
  const live = new SQLite(liveFile, { readonly: true, fileMustExist: true });
  let pages = 0;
  try {
    await live.backup(destination, {
      progress: ({ totalPages, remainingPages }) => {
        pages = totalPages;
        onProgress?.(totalPages - remainingPages, totalPages);
        return 256;
      },
    });
  } finally {
    live.close();
  }
  const problems = integrityProblems(destination);
  if (problems.length > 0) {
    throw new AppError(
      "STORAGE_FAILED",
      `The backup at ${destination} failed its check: ${problems.join("; ")}`,
    );
  }
  return { bytes: fs.statSync(destination).size, pages };
}

function fsyncPath(file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Replaces the database with a backup. Refuses while any process has the database open (the service must be
 * stopped: it would keep serving from the old file) and when the backup is damaged or newer than this version.
 * The replaced file is kept beside it as `<name>.before-restore-<time>`.
 */
export async function restoreSqliteDatabase(
  backup: string,
  liveFile: string,
  now: number,
): Promise<{ keptAs: string | null }> {
  const problems = integrityProblems(backup);
  if (problems.length > 0) {
    throw new AppError("VALIDATION_FAILED", `${backup} is damaged: ${problems.slice(0, 3).join("; ")}`);
  }
  const known = new Set(Object.keys(migrationsFor("sqlite")));
  const applied = appliedMigrations(backup);
  if (applied.length === 0) throw new AppError("VALIDATION_FAILED", `${backup} is not a promptloop database`);
  const unknown = applied.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new AppError(
      "VALIDATION_FAILED",
      `${backup} comes from a newer promptloop (migrations ${unknown.join(", ")})`,
    );
  }
  fs.mkdirSync(path.dirname(liveFile), { recursive: true });
  const exists = fs.existsSync(liveFile);
  // An exclusive lock is only granted while no other connection has the file open.
  const lock = exists ? new SQLite(liveFile) : null;
  try {
    if (lock) {
      lock.pragma("busy_timeout = 0");
      try {
        lock.pragma("locking_mode = EXCLUSIVE");
        lock.exec("begin exclusive");
        lock.exec("commit");
      } catch (error) {
        throw new AppError("CONFLICT", `${liveFile} is in use: stop the service before restoring`, {
          cause: error,
        });
      }
      lock.pragma("wal_checkpoint(TRUNCATE)");
    }
    const staged = `${liveFile}.restoring`;
    fs.rmSync(staged, { force: true });
    const source = new SQLite(backup, { readonly: true, fileMustExist: true });
    try {
      await source.backup(staged);
    } finally {
      source.close();
    }
    fsyncPath(staged);
    const keptAs = exists
      ? `${liveFile}.before-restore-${new Date(now).toISOString().replace(/[:.]/g, "-")}`
      : null;
    if (keptAs) fs.renameSync(liveFile, keptAs);
    fs.renameSync(staged, liveFile);
    for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${liveFile}${suffix}`, { force: true });
    fsyncPath(path.dirname(liveFile));
    return { keptAs };
  } finally {
    lock?.close();
  }
}
