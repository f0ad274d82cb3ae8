import fs from "node:fs";

/**
 * DATA_DIR holds personal data (masked inputs, replies, feedback), the hashing salt and the reports: only the
 * service's own user may read them, whatever the umask. New folders are made 0700; files are created and, when they
 * already exist (an older install), chmod-ed to 0600.
 */
export function makeOwnerOnlyDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Creates `file` empty if it is missing, and makes it (and any SQLite sidecars present) owner read/write only. */
export function makeOwnerOnlyFile(file: string, sidecars: readonly string[] = []): void {
  fs.closeSync(fs.openSync(file, "a", 0o600));
  for (const path of [file, ...sidecars.map((suffix) => file + suffix)]) {
    try {
      fs.chmodSync(path, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}

/** SQLite's files beside the database (WAL mode); SQLite creates them with the database file's permissions. */
export const sqliteSidecars = ["-wal", "-shm", "-journal"] as const;
